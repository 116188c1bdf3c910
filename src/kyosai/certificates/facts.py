"""What the certificates state, read from the premium ledger and the bills for a range of
contract ids at a time (a handful of statements per range, not one query per member: the batch
covers 1.66 million shokibo members a year).

The amounts are the ledger's: a paid debit's premiums are its PREMIUMS posting (the bank's
answer, journal kind RESULT), dated by the bill's debit month; a loan's 1/10 and the premiums
applied to loans are the PREMIUMS debits of LOAN and REPAYMENT journals; 前納減額金 paid is the
DISCOUNT_PAYABLE debit of the June payout journal (DISCOUNT_PAID).
"""

import datetime as dt
from dataclasses import dataclass, field

from kyosai.billing import sql
from kyosai.billing.models import Account, Journal
from kyosai.rules.calendar import month_at, month_index


@dataclass
class PaidBill:
    month: dt.date  # the debit month
    months: int  # premium months it collected (its own and carried arrears)
    covers_through: int  # month index of the last premium month it billed
    yen: int  # premiums received (the ledger's PREMIUMS credit)


@dataclass
class Book:
    """One contract's rows in a range."""

    contract_id: int
    number: str
    status: str
    joined_month: dt.date
    name: str
    postal_code: str
    address: str
    terms: list[tuple[int, int]] = field(default_factory=list)  # (from month index, yen)
    paid: list[PaidBill] = field(default_factory=list)  # paid bills of the year(s) asked for
    arrears_yen: int = 0
    opening_yen: int = 0  # premiums taken over from the previous system
    earlier_paid_yen: int = 0  # premiums received by debits before the year
    deductions_yen: int = 0
    discount_paid_yen: int = 0
    discount_paid_month: dt.date | None = None
    cancelled_on: dt.date | None = None

    def monthly_at(self, index: int) -> int:
        """The 掛金月額 in force in premium month `index` (the first term before any)."""
        yen = self.terms[0][1] if self.terms else 0
        for start, amount in self.terms:
            if start <= index:
                yen = amount
        return yen

    @property
    def holder_address(self) -> str:
        return f"〒{self.postal_code[:3]}-{self.postal_code[3:]} {self.address}"


def books(
    scheme: str,
    year: int,
    low: int,
    high: int,
    *,
    through: dt.date,
) -> dict[int, Book]:
    """The contracts of `scheme` with ids in (low, high], with their paid bills debited in
    `year` up to `through`'s month."""
    start, end = dt.date(year, 1, 1), month_at(month_index(through))
    params: dict[str, object] = {"scheme": scheme, "low": low, "high": high, "start": start,
                                 "end": end}  # fmt: skip
    found: dict[int, Book] = {}
    for pk, number, status, joined, name, postal, address, arrears in sql.rows(
        """SELECT k.id, k.number, k.status, k.joined_month, p.name, p.postal_code, p.address,
                   COALESCE(s.arrears_yen, 0)
            FROM contracts_contract k JOIN parties_party p ON p.id = k.party_id
            LEFT JOIN billing_billingstate s ON s.contract_id = k.id
            WHERE k.scheme = %(scheme)s AND k.id > %(low)s AND k.id <= %(high)s""",
        params,
    ):
        found[pk] = Book(
            pk, number, status, _date(joined), name, postal, address, arrears_yen=int(arrears)
        )
    if not found:
        return found
    params["ids_low"], params["ids_high"] = min(found) - 1, max(found)
    in_range = "t.contract_id > %(ids_low)s AND t.contract_id <= %(ids_high)s"
    for pk, valid_from, yen in sql.rows(
        """SELECT contract_id, valid_from_month, monthly_yen FROM contracts_premiumterm t
           WHERE t.contract_id > %(ids_low)s AND t.contract_id <= %(ids_high)s
           ORDER BY contract_id, valid_from_month""",
        params,
    ):
        if pk in found:
            found[pk].terms.append((month_index(_date(valid_from)), int(yen)))
    for pk, month, months, arrears_months, covers, yen in sql.rows(
        f"""SELECT t.contract_id, b.month, b.months, b.arrears_months, b.covers_through,
                   -t.amount_yen
            FROM billing_posting t JOIN billing_journal j ON j.id = t.journal_id
            JOIN billing_bill b ON b.id = t.bill_id
            WHERE {in_range} AND t.account = '{Account.PREMIUMS}' AND j.kind = '{Journal.Kind.RESULT}'
              AND b.month >= %(start)s AND b.month <= %(end)s
            ORDER BY t.contract_id, b.month""",
        params,
    ):
        if pk in found:
            found[pk].paid.append(PaidBill(_date(month), months + arrears_months, covers, int(yen)))
    return found


def add_account(found: dict[int, Book], year: int, *, through: dt.date) -> None:
    """What the tosan statement and the balance certificate add: the account before the year,
    the deductions and the cancellation date."""
    if not found:
        return
    params = {"ids_low": min(found) - 1, "ids_high": max(found), "start": dt.date(year, 1, 1),
              "through": through}  # fmt: skip
    in_range = "t.contract_id > %(ids_low)s AND t.contract_id <= %(ids_high)s"
    for pk, kind, before, amount in sql.rows(
        f"""SELECT t.contract_id, j.kind,
                   CASE WHEN j.kind = '{Journal.Kind.RESULT}' THEN b.month < %(start)s
                        ELSE j.posted_on < %(start)s END,
                   SUM(t.amount_yen)
            FROM billing_posting t JOIN billing_journal j ON j.id = t.journal_id
            LEFT JOIN billing_bill b ON b.id = t.bill_id
            WHERE {in_range} AND t.account = '{Account.PREMIUMS}'
              AND j.kind IN ('{Journal.Kind.OPENING}', '{Journal.Kind.RESULT}',
                             '{Journal.Kind.LOAN}', '{Journal.Kind.REPAYMENT}')
              AND (j.kind = '{Journal.Kind.RESULT}' OR j.posted_on <= %(through)s)
            GROUP BY t.contract_id, j.kind,
                     CASE WHEN j.kind = '{Journal.Kind.RESULT}' THEN b.month < %(start)s
                          ELSE j.posted_on < %(start)s END""",
        params,
    ):
        book = found.get(pk)
        if book is None:
            continue
        if kind == Journal.Kind.OPENING:
            book.opening_yen -= int(amount)
        elif kind == Journal.Kind.RESULT:
            if before:  # the year's own debits are `paid`
                book.earlier_paid_yen -= int(amount)
        else:  # premiums taken for loans: debits to the member's PREMIUMS
            book.deductions_yen += int(amount)
    for pk, effective_on in sql.rows(
        """SELECT c.contract_id, c.effective_on FROM cancellations_cancellation c
           JOIN contracts_contract k ON k.id = c.contract_id
           WHERE c.contract_id > %(ids_low)s AND c.contract_id <= %(ids_high)s
             AND k.status = 'cancelled' AND c.effective_on <= %(through)s""",
        params,
    ):
        if pk in found:
            found[pk].cancelled_on = _date(effective_on)


def add_discounts(found: dict[int, Book], start: dt.date, end: dt.date) -> None:
    """The 前納減額金 paid between `start` and `end` (the June payouts)."""
    if not found:
        return
    for pk, posted_on, amount in sql.rows(
        f"""SELECT t.contract_id, j.posted_on, t.amount_yen
            FROM billing_posting t JOIN billing_journal j ON j.id = t.journal_id
            WHERE t.contract_id > %(low)s AND t.contract_id <= %(high)s
              AND t.account = '{Account.DISCOUNT_PAYABLE}' AND j.kind = '{Journal.Kind.DISCOUNT_PAID}'
              AND j.posted_on >= %(start)s AND j.posted_on <= %(end)s""",
        {"low": min(found) - 1, "high": max(found), "start": start, "end": end},
    ):
        book = found.get(pk)
        if book is not None:
            book.discount_paid_yen += int(amount)
            book.discount_paid_month = _date(posted_on).replace(day=1)


def _date(value: object) -> dt.date:
    """SQLite returns dates as text."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
