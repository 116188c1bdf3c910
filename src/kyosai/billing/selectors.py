"""Reads of premium collection: a member's payments (portal) and the monthly runs (staff console).

What a member has paid comes from the premium ledger: the 'premiums' account of the contract,
whose credits are the premiums received (and, for a migrated contract, its opening balance).
The next debit is the bill already made when there is one, else an estimate (見込み): what the
run's own statement would bill that month as things stand (billing.runs.due_bill), or, before
any run has reached the contract, its first debit.

The staff pages read whole runs (about 2.24 million bills a month at national scale), so they
aggregate in the database: one GROUP BY over a run's bills for the bank and result-code tables,
the bank files and result imports for the list of runs, and a paginated query for the contracts
that fell into arrears. A staff view of those contracts' holders is audited (party.view).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404

from kyosai.billing.arrears import next_rebill_month
from kyosai.billing.discounts import accrued_unpaid_yen, earned_unaccrued_yen, payout_minimum_yen
from kyosai.billing.history import premiums_received_yen
from kyosai.billing.models import (
    Account,
    ArrearsNotice,
    BankFile,
    Bill,
    BillingRun,
    BillingState,
    Journal,
    Posting,
    ResultImport,
)
from kyosai.billing.runs import due_bill, run_terms
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, signed_in
from kyosai.core.models import AuditLog
from kyosai.formats.zengin import RESULT_CODES
from kyosai.reference.banks import bank_name
from kyosai.rules.calendar import (
    add_months,
    debit_date,
    fiscal_year,
    month_at,
    month_of,
    next_debit_date,
)
from kyosai.rules.first_debit import first_debit
from kyosai.rules.scheme import Scheme

RUNS_PER_PAGE = 24  # a year of both schemes
ARREARS_PER_PAGE = 50
RECENT_PAYMENTS = 12  # the portal shows these first; older ones fold away


def result_meaning(code: str) -> str:
    """振替結果コード → what it means (全銀 result codes)."""
    return RESULT_CODES.get(code, f"コード{code}" if code else "")


def month_words(index: int) -> str:
    """A month index as a member reads it: 2026年3月分."""
    month = month_at(index)
    return f"{month.year}年{month.month}月分"


def covers_words(months: int, covers_through: int) -> str:
    """The premium months a bill collects: 2026年3月分〜2026年5月分, or one month."""
    if months <= 0:
        return ""
    first = covers_through - months + 1
    if first == covers_through:
        return month_words(covers_through)
    return f"{month_words(first)}〜{month_words(covers_through)}"


# ---------------------------------------------------------------------------------------------
# The member's payments


@dataclass(frozen=True)
class Payment:
    """One bill as the member sees it."""

    month: dt.date  # the debit month
    debit_on: dt.date  # 振替日
    covers: str  # the new premium months, in words ("" for a bill of arrears only)
    notes: tuple[str, ...]  # 前納 / 未納分 included
    amount_yen: int
    status: str  # Bill.Status
    status_label: str
    reason: str  # what the bank's result code means, for a failed debit
    rebilled_in: dt.date | None  # the debit month that asked for it again


def _payment(bill: Bill) -> Payment:
    notes = []
    if bill.prepaid_months:
        notes.append(f"前納 {bill.prepaid_months}か月分を含む")
    if bill.arrears_yen:
        notes.append(f"未納分 {bill.arrears_months}か月分（{bill.arrears_yen:,}円）を含む")
    failed = bill.status == Bill.Status.FAILED
    return Payment(
        month=bill.month,
        debit_on=bill.run.debit_on,
        covers=covers_words(bill.months, bill.covers_through),
        notes=tuple(notes),
        amount_yen=bill.amount_yen,
        status=bill.status,
        status_label=bill.get_status_display(),
        reason=result_meaning(bill.result.result_code) if failed else "",
        rebilled_in=bill.carried_into.month if failed and bill.carried_into else None,
    )


def payment_history(contract: Contract) -> list[Payment]:
    """Every bill of the contract, newest first (a contract has at most one a month)."""
    bills = (
        Bill.objects.filter(contract=contract)
        .select_related("run", "carried_into", "result")
        .order_by("-month")
    )
    return [_payment(bill) for bill in bills]


@dataclass(frozen=True)
class NextDebit:
    debit_on: dt.date
    amount_yen: int
    estimate: bool  # True: 見込み; False: the bill is made and sent to the bank
    months: int  # new premium months in it
    arrears_yen: int  # re-billed arrears in it


@dataclass(frozen=True)
class PremiumSummary:
    paid_total_yen: int  # premiums received, with the balance brought over at migration
    paid_bills: int  # debits that went through
    arrears_yen: int
    arrears_months: int
    debit_stopped: bool
    next_debit: NextDebit | None
    no_debit_reason: str  # why there is no next debit, when there is none
    rebill_on: dt.date | None  # when the arrears are next asked for
    warning_deadline: dt.date | None  # 解除予告: pay by this day


def premium_summary(contract: Contract, on: dt.date) -> PremiumSummary:
    state = BillingState.objects.filter(contract=contract).first()
    next_debit, reason = _next_debit(contract, state, on)
    deadline = (
        ArrearsNotice.objects.filter(
            contract=contract,
            kind=ArrearsNotice.Kind.WARNING,
            outcome=ArrearsNotice.Outcome.OPEN,
        )
        .order_by("-issued_on")
        .values_list("deadline_on", flat=True)
        .first()
    )
    return PremiumSummary(
        paid_total_yen=premiums_received_yen(contract),
        paid_bills=Bill.objects.paid().filter(contract=contract).count(),
        arrears_yen=state.arrears_yen if state else 0,
        arrears_months=state.arrears_months if state else 0,
        debit_stopped=bool(state and state.debit_stopped),
        next_debit=next_debit,
        no_debit_reason=reason,
        rebill_on=_rebill_on(contract, state, on),
        warning_deadline=deadline,
    )


def _next_debit(
    contract: Contract, state: BillingState | None, on: dt.date
) -> tuple[NextDebit | None, str]:
    made = (
        Bill.objects.pending()
        .filter(contract=contract, run__debit_on__gte=on)
        .select_related("run")
        .order_by("month")
        .first()
    )
    if made is not None:
        return NextDebit(
            made.run.debit_on, made.amount_yen, False, made.months, made.arrears_yen
        ), ""
    if contract.status == Contract.Status.SUSPENDED:
        return None, "掛止め中のため、掛金の口座振替はありません。"
    if contract.status != Contract.Status.ACTIVE:
        return None, "この契約は終了しているため、掛金の口座振替はありません。"
    if state is not None and state.debit_stopped:
        return None, "未納が続いたため、口座振替を止めています。"
    scheme = Scheme(contract.scheme)
    if state is None:  # never billed: the first debit, as the 共済契約締結証書 states it
        first = contract.premium_terms.first()
        if first is None:
            return None, "次回の口座振替はありません。"
        debit = first_debit(scheme, first.monthly_yen, applied_on=contract.joined_month)
        return NextDebit(debit.debit_on, debit.amount_yen, True, debit.months, 0), ""
    month = month_of(next_debit_date(scheme, on))
    if (
        BillingRun.objects.filter(scheme=scheme, month=month)
        .exclude(status=BillingRun.Status.GENERATING)
        .exists()
    ):
        month = add_months(month, 1)  # this month's run is made and billed nothing here
    month = max(month, month_at(state.first_debit_month))
    due = due_bill(contract, month)
    if due is None:
        if state.billed_regular_yen >= run_terms(scheme, month).cap_yen:
            return None, "掛金の総額が積立限度額に達したため、掛金の口座振替はありません。"
        return None, "次回の口座振替はありません。"
    return NextDebit(
        debit_date(scheme, month), due.amount_yen, True, due.months, due.arrears_yen
    ), ""


def _rebill_on(contract: Contract, state: BillingState | None, on: dt.date) -> dt.date | None:
    """The debit day that next asks for the arrears (none when there are none or debits stop)."""
    if state is None or not state.arrears_yen or state.debit_stopped:
        return None
    unpaid = (
        Bill.objects.failed().filter(contract=contract).select_related("run", "carried_into__run")
    )
    carried = (
        unpaid.filter(carried_into__isnull=False, carried_into__result__isnull=True)
        .order_by("month")
        .first()
    )
    if carried is not None and carried.carried_into is not None:
        return carried.carried_into.run.debit_on
    oldest = unpaid.filter(carried_into__isnull=True).order_by("month").first()
    if oldest is None:
        return None
    month = next_rebill_month(oldest.run)
    debit_on = debit_date(Scheme(contract.scheme), month)
    return debit_on if debit_on >= on else None


@dataclass(frozen=True)
class DiscountPayment:
    paid_on: dt.date  # the 振込指定日 of the June payout
    amount_yen: int


@dataclass(frozen=True)
class DiscountStatus:
    """前納減額金 (tosan P22) as the member sees it: what was paid into the account and when,
    what was fixed at a March close and not paid yet (carried below the minimum, or waiting for
    June), and what this year's paid prepayments earned, fixed at the end of March."""

    paid: list[DiscountPayment]  # newest first
    carried_yen: int
    this_year_yen: int
    minimum_yen: int
    cancelled: bool  # the unpaid part goes with the 解約手当金

    @property
    def unpaid_yen(self) -> int:
        return self.carried_yen + self.this_year_yen


def discount_status(contract: Contract, on: dt.date) -> DiscountStatus | None:
    """None for a contract that never earned a 前納減額金."""
    paid = [
        DiscountPayment(line.journal.posted_on, line.amount_yen)
        for line in Posting.objects.filter(
            contract=contract,
            account=Account.DISCOUNT_PAYABLE,
            journal__kind=Journal.Kind.DISCOUNT_PAID,
        )
        .select_related("journal")
        .order_by("-journal__posted_on")
    ]
    carried, this_year = accrued_unpaid_yen(contract), earned_unaccrued_yen(contract)
    if not paid and not carried and not this_year:
        return None
    return DiscountStatus(
        paid=paid,
        carried_yen=carried,
        this_year_yen=this_year,
        minimum_yen=payout_minimum_yen(Scheme(contract.scheme), fiscal_year(on)),
        cancelled=contract.status == Contract.Status.CANCELLED,
    )


@dataclass(frozen=True)
class PaymentStatus:
    """The 掛金の納付状況 section of a member's contract page."""

    summary: PremiumSummary
    recent: list[Payment]
    earlier: list[Payment] = field(default_factory=list)
    discounts: DiscountStatus | None = None


def payment_status(contract: Contract, on: dt.date) -> PaymentStatus:
    history = payment_history(contract)
    return PaymentStatus(
        summary=premium_summary(contract, on),
        recent=history[:RECENT_PAYMENTS],
        earlier=history[RECENT_PAYMENTS:],
        discounts=discount_status(contract, on),
    )


# ---------------------------------------------------------------------------------------------
# Staff: the runs


@dataclass(frozen=True)
class RunSummary:
    run: BillingRun
    bills: int
    total_yen: int
    banks: int  # banks billed
    banks_answered: int  # banks whose result file is in
    paid_count: int
    paid_yen: int
    failed_count: int
    failed_yen: int


@dataclass(frozen=True)
class RunsOverview:
    page: Page[BillingRun]  # for the page links
    runs: list[RunSummary]


def runs_overview(page: str | int | None = None) -> RunsOverview:
    """The runs, newest month first, with what each asked for and what the banks answered.

    A run whose files are written is summed from its bank files (a row per bank); only a run
    still being made is summed from its bills."""
    found = Paginator(
        BillingRun.objects.order_by("-month", "scheme", "-pk"), RUNS_PER_PAGE
    ).get_page(page)
    runs = list(found.object_list)
    ids = [run.pk for run in runs]
    written = {
        row["run_id"]: row
        for row in BankFile.objects.filter(run_id__in=ids)
        .values("run_id")
        .annotate(banks=Count("id"), bills=Sum("records"), yen=Sum("total_yen"))
        .order_by()
    }
    unwritten = [run.pk for run in runs if run.status != BillingRun.Status.FILES_WRITTEN]
    billed = {
        row["run_id"]: row
        for row in Bill.objects.filter(run_id__in=unwritten)
        .values("run_id")
        .annotate(banks=Count("bank_code", distinct=True), bills=Count("id"), yen=Sum("amount_yen"))
        .order_by()
    }
    answered = {
        row["run_id"]: row
        for row in ResultImport.objects.filter(run_id__in=ids)
        .values("run_id")
        .annotate(
            banks=Count("id"),
            paid_count=Sum("paid_count"),
            paid_yen=Sum("paid_yen"),
            failed_count=Sum("failed_count"),
            failed_yen=Sum("failed_yen"),
        )
        .order_by()
    }
    summaries = []
    for run in runs:
        made = (billed if run.pk in unwritten else written).get(run.pk, {})
        results = answered.get(run.pk, {})
        summaries.append(
            RunSummary(
                run=run,
                bills=made.get("bills") or 0,
                total_yen=made.get("yen") or 0,
                banks=made.get("banks") or 0,
                banks_answered=results.get("banks") or 0,
                paid_count=results.get("paid_count") or 0,
                paid_yen=results.get("paid_yen") or 0,
                failed_count=results.get("failed_count") or 0,
                failed_yen=results.get("failed_yen") or 0,
            )
        )
    return RunsOverview(page=found, runs=summaries)


@dataclass
class BankLine:
    """One bank's bills in a run: asked for, debited, not debited, not answered yet."""

    bank_code: str
    bank_name: str
    requested_count: int = 0
    requested_yen: int = 0
    paid_count: int = 0
    paid_yen: int = 0
    failed_count: int = 0
    failed_yen: int = 0
    pending_count: int = 0
    pending_yen: int = 0

    def add(self, status: str, count: int, yen: int) -> None:
        self.requested_count += count
        self.requested_yen += yen
        if status == Bill.Status.PAID:
            self.paid_count += count
            self.paid_yen += yen
        elif status == Bill.Status.FAILED:
            self.failed_count += count
            self.failed_yen += yen
        else:
            self.pending_count += count
            self.pending_yen += yen


@dataclass
class CodeLine:
    """Bills of a run by 振替結果コード ('' for those not answered yet)."""

    code: str
    meaning: str
    count: int = 0
    yen: int = 0


@dataclass(frozen=True)
class ArrearsLine:
    """A contract whose debit failed in the run."""

    contract_pk: int
    number: str
    holder_name: str
    amount_yen: int
    code: str
    meaning: str
    months: int  # premium months this failed bill leaves unpaid
    arrears_yen: int  # the contract's arrears now
    arrears_months: int


@dataclass(frozen=True)
class RunDetail:
    run: BillingRun
    banks: list[BankLine]
    total: BankLine
    codes: list[CodeLine]
    arrears_page: Page[Bill]  # for the page links and the count
    arrears: list[ArrearsLine]


def run_detail(viewer: Actor, pk: int, *, page: str | int | None = None) -> RunDetail:
    """Run `pk` (404 if there is none) by bank and by result code, and one page of the contracts
    whose debit failed; viewing those holders is audited."""
    run = get_object_or_404(BillingRun, pk=pk)
    groups = (
        Bill.objects.filter(run=run)
        .values("bank_code", "result__result_code")
        .annotate(count=Count("id"), yen=Sum("amount_yen"))
        .order_by("bank_code", "result__result_code")
    )
    banks: dict[str, BankLine] = {}
    codes: dict[str, CodeLine] = {}
    total = BankLine(bank_code="", bank_name="合計")
    for row in groups:
        code = row["bank_code"]
        if code not in banks:
            banks[code] = BankLine(bank_code=code, bank_name=bank_name(code))
        result = row["result__result_code"] or ""
        status = Bill.status_of(row["result__result_code"])
        banks[code].add(status, row["count"], row["yen"])
        total.add(status, row["count"], row["yen"])
        meaning = result_meaning(result) if result else Bill.Status.PENDING.label
        line = codes.setdefault(result, CodeLine(code=result, meaning=meaning))
        line.count += row["count"]
        line.yen += row["yen"]
    failed = (
        Bill.objects.failed()
        .filter(run=run)
        .select_related("contract__party", "contract__billing_state", "result")
        .order_by("contract__number")
    )
    arrears_page = Paginator(failed, ARREARS_PER_PAGE).get_page(page)
    bills = list(arrears_page.object_list)
    _audit_holders(viewer, run, bills)
    return RunDetail(
        run=run,
        banks=list(banks.values()),
        total=total,
        codes=sorted(codes.values(), key=lambda line: (line.code == "", line.code)),
        arrears_page=arrears_page,
        arrears=[_arrears_line(bill) for bill in bills],
    )


def _arrears_line(bill: Bill) -> ArrearsLine:
    contract = bill.contract
    state = getattr(contract, "billing_state", None)
    return ArrearsLine(
        contract_pk=contract.pk,
        number=contract.number,
        holder_name=contract.party.name,
        amount_yen=bill.amount_yen,
        code=bill.result.result_code,
        meaning=result_meaning(bill.result.result_code),
        months=bill.months + bill.arrears_months - bill.prepaid_months,
        arrears_yen=state.arrears_yen if state else 0,
        arrears_months=state.arrears_months if state else 0,
    )


def _audit_holders(viewer: Actor, run: BillingRun, bills: list[Bill]) -> None:
    """One party.view row per holder listed, in one insert (a page lists up to 50)."""
    actor = signed_in(viewer)
    parties = dict.fromkeys(bill.contract.party_id for bill in bills)
    AuditLog.objects.bulk_create(
        AuditLog(
            actor=actor,
            action="party.view",
            object_type="party",
            object_id=str(party_id),
            data={"via": "billing_run", "run": run.pk},
        )
        for party_id in parties
    )
