"""前納減額金 (tosan P21–P22, shokibo P12): the March close, the June payout, and settlement on
cancellation.

Each scheme is closed and paid on its own, by the same code: its own journals (the scheme is in
the reference, `discount-close:shokibo:FY2026`), its own minimum
(`<scheme>/prepay_discount_payout_minimum`) and its own 総合振込 file.

A 前納 earns its discount (computed when the member filed it, tosan P21, shokibo P12) once its
debit is paid: the bill of the prepayment's month is 'paid' with prepaid months. A failed debit
earns nothing.

* The close of fiscal year N (April N to March N+1) accrues every earned discount not accrued
  before, in one journal: a credit to DISCOUNT_PAYABLE per contract, the balancing debit to
  DISCOUNT_EXPENSE as one control line. Each prepayment is marked with the journal that accrued
  it, so a prepayment whose debit is answered after a close is taken by the next one, once.
* The June payout pays each contract in force its whole payable balance as of the close when
  that reaches the minimum (5,000円); a smaller balance stays and is carried until the running
  total reaches it (tosan P22, shokibo P12). The payments are approved payouts (kyosai.payouts)
  to each contract's latest debit account, since P22 pays "normally into the premium account",
  and go out as one 全銀 総合振込 file per scheme; the money leaves the ledger's bank account when
  staff confirm that file.
* A cancelled contract is not paid in June: its unpaid balance goes with the 解約手当金 (P22),
  which `settle_discount` accrues and returns (tosan P22; shokibo's references are silent on it).

The statements are set-based (about 6,000 prepayments a month nationally). Each step's journal
reference is its idempotency key; the payout file is a pure function of its payouts, so a payout
killed between posting and writing writes the same file when run again.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet, Sum
from django.utils import timezone

from kyosai.billing import sql
from kyosai.billing.ledger import balance_journal, balance_of
from kyosai.billing.models import Account, Bill, Journal, Prepayment
from kyosai.billing.runs import latest_mandates_sql
from kyosai.contracts.models import Contract
from kyosai.core.errors import ApplicationError
from kyosai.formats.zengin import PAID_RESULT_CODE
from kyosai.payouts.actions import do_make_transfer_file, write_pending_files
from kyosai.payouts.models import Payout, TransferFile
from kyosai.rules.calendar import fiscal_year_end, is_business_day
from kyosai.rules.params import default_parameters
from kyosai.rules.scheme import Scheme

IN_FORCE = (Contract.Status.ACTIVE.value, Contract.Status.SUSPENDED.value)  # paid in June

# A prepayment whose debit went through: the bill of its month, paid, with the prepaid months.
EARNED = f"""EXISTS (
    SELECT 1 FROM billing_bill b JOIN billing_billresult x ON x.bill_id = b.id
    WHERE b.contract_id = billing_prepayment.contract_id AND b.month = billing_prepayment.month
      AND x.result_code = '{PAID_RESULT_CODE}' AND b.prepaid_months > 0)"""


class DiscountError(ApplicationError):
    """A close or payout asked for at the wrong time."""


def close_reference(scheme: Scheme, fiscal_year: int) -> str:
    return f"discount-close:{scheme}:FY{fiscal_year}"


def payout_reference(scheme: Scheme, fiscal_year: int) -> str:
    return f"discount-pay:{scheme}:FY{fiscal_year}"


def payout_minimum_yen(scheme: Scheme, fiscal_year: int) -> int:
    """Below this the total at the end of March is carried to the next year (tosan P22, shokibo
    P12)."""
    end = fiscal_year_end(fiscal_year)
    return default_parameters()[f"{scheme}/prepay_discount_payout_minimum"].whole_at(end)


# ---------------------------------------------------------------------------------------------
# Accrual


def _accrue(
    journal: Journal, *, through: dt.date, scheme: Scheme, contract: Contract | None = None
) -> int:
    """Claim the earned, not yet accrued prepayments of `scheme` (or of its one `contract`)
    debited in or before `through`'s month for `journal` and post them; the number claimed.
    Claiming first (UPDATE … WHERE accrued_in_id IS NULL) is what keeps a concurrent close and
    settlement from accruing a prepayment twice."""
    params = {"journal": journal.pk, "through": through, "scheme": str(scheme),
              "contract": contract and contract.pk}  # fmt: skip
    one = "AND contract_id = %(contract)s" if contract is not None else ""
    claimed = sql.execute(
        f"""UPDATE billing_prepayment SET accrued_in_id = %(journal)s
            WHERE accrued_in_id IS NULL AND month <= %(through)s {one} AND {EARNED}
              AND contract_id IN (SELECT id FROM contracts_contract WHERE scheme = %(scheme)s)""",
        params,
    )
    sql.execute(
        f"""INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT %(journal)s, '{Account.DISCOUNT_PAYABLE}', p.contract_id, NULL,
                   -SUM(p.discount_yen)
            FROM billing_prepayment p WHERE p.accrued_in_id = %(journal)s
            GROUP BY p.contract_id HAVING SUM(p.discount_yen) > 0""",
        params,
    )
    balance_journal(journal.pk, Account.DISCOUNT_EXPENSE)
    return claimed


@dataclass(frozen=True)
class Close:
    journal: Journal
    created: bool  # False: the year was closed before and nothing changed
    prepayments: int  # accrued by this close
    contracts: int
    total_yen: int
    pending: int  # prepayment debits of the year still waiting for the bank's answer


def close_discounts(fiscal_year: int, *, scheme: Scheme, posted_on: dt.date) -> Close:
    """The March close of `fiscal_year` for `scheme`: accrue every discount earned by a
    prepayment debited up to March of the next calendar year and not accrued before. A second
    call changes nothing."""
    end = fiscal_year_end(fiscal_year)
    if posted_on < end:
        raise DiscountError(
            f"{fiscal_year}年度の前納減額金は{end:%Y年%-m月%-d日}以後に確定します。"
        )
    reference = close_reference(scheme, fiscal_year)
    # A later year's close has taken every earned discount: this one would only blur "as of".
    if Journal.objects.filter(
        kind=Journal.Kind.DISCOUNT_ACCRUED,
        reference__startswith=f"discount-close:{scheme}:",
        reference__gt=reference,
    ).exists():
        raise DiscountError(f"{fiscal_year}年度より後の年度の前納減額金がすでに確定しています。")
    journal = Journal.objects.filter(reference=reference).first()
    created = journal is None
    if journal is None:
        with transaction.atomic():
            journal = Journal.objects.create(
                kind=Journal.Kind.DISCOUNT_ACCRUED, reference=reference, posted_on=posted_on
            )
            _accrue(journal, through=end, scheme=scheme)
    contracts, total = _payable_lines(journal)
    [(pending,)] = sql.rows(
        """SELECT COUNT(*) FROM billing_prepayment p
           JOIN billing_bill b ON b.contract_id = p.contract_id AND b.month = p.month
           JOIN contracts_contract k ON k.id = p.contract_id
           LEFT JOIN billing_billresult x ON x.bill_id = b.id
           WHERE p.accrued_in_id IS NULL AND p.month <= %s AND x.bill_id IS NULL
             AND k.scheme = %s""",
        [end, str(scheme)],
    )
    return Close(
        journal=journal,
        created=created,
        prepayments=Prepayment.objects.filter(accrued_in=journal).count(),
        contracts=contracts,
        total_yen=total,
        pending=int(pending),
    )


def _payable_lines(journal: Journal) -> tuple[int, int]:
    """(contracts, yen) of a journal's per-contract DISCOUNT_PAYABLE lines, as positive yen."""
    [(count, total)] = sql.rows(
        f"""SELECT COUNT(*), COALESCE(SUM(amount_yen), 0) FROM billing_posting
            WHERE journal_id = %s AND account = '{Account.DISCOUNT_PAYABLE}'""",
        [journal.pk],
    )
    return int(count), abs(int(total))


# ---------------------------------------------------------------------------------------------
# The June payout

# Each contract's DISCOUNT_PAYABLE balance as of the close `%(close)s` (credits negative): the
# accruals up to and including the close, less every payment made so far. Read through the
# discount journals, so the statement never scans the premium postings (millions a month).
OWED_AS_OF_CLOSE = f"""
    SELECT t.contract_id, -SUM(t.amount_yen) AS yen
    FROM billing_journal j JOIN billing_posting t ON t.journal_id = j.id
    WHERE j.kind IN ('{Journal.Kind.DISCOUNT_ACCRUED}', '{Journal.Kind.DISCOUNT_PAID}')
      AND t.account = '{Account.DISCOUNT_PAYABLE}'
      AND (j.id <= %(close)s OR j.kind = '{Journal.Kind.DISCOUNT_PAID}')
    GROUP BY t.contract_id"""


@dataclass(frozen=True)
class DiscountPayout:
    journal: Journal
    created: bool  # False: the year was paid before; nothing was posted or written
    file: TransferFile | None  # None when nobody reached the minimum
    contracts: int
    total_yen: int
    carried_contracts: int  # in force, below the minimum: carried to the next year
    carried_yen: int
    with_refund_contracts: int  # cancelled: paid with the 解約手当金 instead
    with_refund_yen: int
    minimum_yen: int  # the payout minimum applied (P22)


def pay_discounts(fiscal_year: int, *, scheme: Scheme, paid_on: dt.date) -> DiscountPayout:
    """The June payout after the close of `fiscal_year` for `scheme`: every contract in force
    whose balance as of the close reaches the minimum is paid all of it (tosan P22, shokibo P12),
    by one 総合振込 file (payouts: confirmed by staff once the bank has carried it out). A second
    call posts nothing and writes no file (it only finishes a file a killed call did not write)."""
    close = Journal.objects.filter(reference=close_reference(scheme, fiscal_year)).first()
    if close is None:
        raise DiscountError(f"{fiscal_year}年度の前納減額金がまだ確定していません（3月締め）。")
    if paid_on <= fiscal_year_end(fiscal_year):
        raise DiscountError("前納減額金は年度の確定の後にお支払いします。")
    if not is_business_day(paid_on):
        raise DiscountError(f"{paid_on:%Y年%-m月%-d日}は銀行の営業日ではありません。")
    reference = payout_reference(scheme, fiscal_year)
    minimum = payout_minimum_yen(scheme, fiscal_year)
    journal = Journal.objects.filter(reference=reference).first()
    created = journal is None
    if journal is None:
        with transaction.atomic():
            journal = Journal.objects.create(
                kind=Journal.Kind.DISCOUNT_PAID, reference=reference, posted_on=paid_on
            )
            _post_payout(journal, close, scheme, minimum, paid_on)
    payouts = Payout.objects.filter(reference__startswith=f"{reference}:")
    if payouts.filter(status=Payout.Status.APPROVED).exists():
        do_make_transfer_file(
            pay_on=journal.posted_on, payouts=payouts, acting_user=None,
            name=f"{scheme}-prepayment-discount-FY{fiscal_year}.txt",
        )  # fmt: skip
    write_pending_files()
    first = payouts.select_related("file").first()
    contracts, total = _payable_lines(journal)
    carried, carried_yen, with_refund, with_refund_yen = _left_unpaid(close, scheme)
    return DiscountPayout(
        journal, created, first.file if first else None, contracts, total,
        carried, carried_yen, with_refund, with_refund_yen, minimum,
    )  # fmt: skip


def _post_payout(
    journal: Journal, close: Journal, scheme: Scheme, minimum: int, paid_on: dt.date
) -> None:
    """Each payable balance reaching the minimum moves to the member's 未払金, and a payout to
    their latest debit account (P22: "normally into the premium account") is approved for it."""
    params = {"journal": journal.pk, "close": close.pk, "scheme": str(scheme),
              "minimum": minimum, "paid_on": paid_on, "reference": f"{journal.reference}:",
              "kind": str(Payout.Kind.DISCOUNT), "approved": str(Payout.Status.APPROVED),
              "now": timezone.now()}  # fmt: skip
    in_force = ", ".join(f"'{status}'" for status in IN_FORCE)
    sql.execute(
        f"""INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT %(journal)s, '{Account.DISCOUNT_PAYABLE}', owed.contract_id, NULL, owed.yen
            FROM ({OWED_AS_OF_CLOSE}) owed
            JOIN contracts_contract k ON k.id = owed.contract_id
            WHERE owed.yen >= %(minimum)s AND k.status IN ({in_force}) AND k.scheme = %(scheme)s
              AND EXISTS (SELECT 1 FROM contracts_debitmandate d
                          WHERE d.contract_id = owed.contract_id AND d.valid_from <= %(paid_on)s)""",
        params,
    )
    sql.execute(
        f"""INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT %(journal)s, '{Account.PAYABLE}', contract_id, NULL, -amount_yen
            FROM billing_posting WHERE journal_id = %(journal)s""",
        params,
    )
    contracts = "SELECT contract_id FROM billing_posting WHERE journal_id = %(journal)s"
    sql.execute(
        f"""INSERT INTO payouts_payout (reference, kind, status, contract_id, amount_yen, pay_on,
                bank_code, branch_code, account_type, account_number, payee_kana, approved_at)
            SELECT %(reference)s || k.number, %(kind)s, %(approved)s, t.contract_id, t.amount_yen,
                   %(paid_on)s, m.bank_code, m.branch_code, m.account_type, m.account_number,
                   m.holder_kana, %(now)s
            FROM billing_posting t
            JOIN contracts_contract k ON k.id = t.contract_id
            JOIN ({latest_mandates_sql("%(paid_on)s", f"d.contract_id IN ({contracts})")}) m
              ON m.contract_id = t.contract_id
            WHERE t.journal_id = %(journal)s AND t.account = '{Account.DISCOUNT_PAYABLE}'
            ORDER BY k.number""",
        params,
    )


def _left_unpaid(close: Journal, scheme: Scheme) -> tuple[int, int, int, int]:
    """Balances of `scheme` as of the close still unpaid: (contracts, yen) carried for contracts
    in force, then (contracts, yen) of cancelled contracts, to be paid with the 解約手当金."""
    in_force = ", ".join(f"'{status}'" for status in IN_FORCE)
    found = dict.fromkeys((True, False), (0, 0))
    for live, count, total in sql.rows(
        f"""SELECT k.status IN ({in_force}) AS live, COUNT(*), SUM(owed.yen)
            FROM ({OWED_AS_OF_CLOSE}) owed JOIN contracts_contract k ON k.id = owed.contract_id
            WHERE owed.yen > 0 AND k.scheme = %(scheme)s GROUP BY k.status IN ({in_force})""",
        {"close": close.pk, "scheme": str(scheme)},
    ):
        found[bool(live)] = (int(count), int(total))
    return (*found[True], *found[False])


# ---------------------------------------------------------------------------------------------
# One contract: what is owed, and settlement on cancellation


def _paid_debit() -> QuerySet[Bill]:
    """The paid prepayment bill of an outer Prepayment query's row (EARNED, for the ORM)."""
    return Bill.objects.paid().filter(
        contract=OuterRef("contract"), month=OuterRef("month"), prepaid_months__gt=0
    )


def earned_unaccrued_yen(contract: Contract) -> int:
    """Discounts earned (debit paid) that no close or settlement has accrued yet."""
    total = (
        Prepayment.objects.filter(contract=contract, accrued_in__isnull=True)
        .filter(Exists(_paid_debit()))
        .aggregate(total=Sum("discount_yen"))["total"]
    )
    return int(total or 0)


def accrued_unpaid_yen(contract: Contract) -> int:
    """The contract's DISCOUNT_PAYABLE balance: accrued and not paid yet (carried)."""
    return -balance_of(contract, Account.DISCOUNT_PAYABLE)


def unpaid_discount_yen(contract: Contract) -> int:
    """What settle_discount would return, without posting anything (for a quote)."""
    return accrued_unpaid_yen(contract) + earned_unaccrued_yen(contract)


def settle_discount(contract: Contract, *, on: dt.date) -> int:
    """On cancellation: accrue the contract's earned, not yet accrued discounts and return its
    whole unpaid 前納減額金, to be paid with the 解約手当金 (P22). Calling it again accrues only
    what was earned since, so the answer is the same while nothing changes."""
    with transaction.atomic():
        last = (
            Prepayment.objects.filter(contract=contract, accrued_in__isnull=True, month__lte=on)
            .filter(Exists(_paid_debit()))
            .aggregate(last=Max("pk"))["last"]
        )
        if last is not None:
            # Each prepayment is accrued once, so the last one names this settlement for good.
            journal = Journal.objects.create(
                kind=Journal.Kind.DISCOUNT_ACCRUED,
                reference=f"discount-settle:{contract.number}:{last}",
                posted_on=on,
            )
            _accrue(journal, through=on, scheme=Scheme(contract.scheme), contract=contract)
    return accrued_unpaid_yen(contract)
