"""Reads for the agency portal: a clerk's agency, its clients' procedures and counts, and the
confirmation links it issued. Everything is narrowed to the agency's scope (itself and, for a
統轄店, its 取扱店), so another agency's procedure, link or client is a 404; a client reads a link
by its token.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kyosai.agencies.models import Agency, AgencyClerk, ConfirmationLink
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.days import day_start
from kyosai.core.errors import ProcedureError
from kyosai.procedures.models import Procedure
from kyosai.procedures.selectors import public_timeline
from kyosai.rules.agency_fee import AgencyFee, agency_fee, new_contract_item, procedure_item
from kyosai.rules.calendar import add_months, fiscal_year_start


def agency_of_clerk(user: Actor) -> Agency:
    """The agency `user` works for; anyone else (a member, staff) is refused (403)."""
    clerk = (
        AgencyClerk.objects.select_related("agency").filter(user=signed_in(user)).first()
        if user.is_authenticated and user.is_active
        else None
    )
    if clerk is None:
        raise PermissionDenied
    return clerk.agency


def is_agency_clerk(user: Actor) -> bool:
    return AgencyClerk.objects.filter(user=signed_in(user)).exists()


def in_scope(agency: Agency, field: str = "agency") -> Q:
    """Rows whose `field` is `agency` or one of its 取扱店: what a clerk of `agency` follows (a
    取扱店 has no branches, so its clerk sees its own only)."""
    return Q(**{field: agency}) | Q(**{f"{field}__parent": agency})


def agency_procedures(agency: Agency) -> QuerySet[Procedure]:
    """The procedures that came through `agency` or its 取扱店, newest first."""
    return (
        Procedure.objects.filter(in_scope(agency))
        .select_related("party", "contract", "agency")
        .order_by("-received_at", "-pk")
    )


def access_agency_procedure(viewer: Actor, agency: Agency, pk: int) -> Procedure:
    """One of the agency's procedures with its timeline; another agency's is a 404. The clerk's
    view of the client's record is audited, as a staff view is."""
    found = get_object_or_404(agency_procedures(agency).prefetch_related(public_timeline()), pk=pk)
    if found.party is not None:
        record("party.view", found.party, actor=viewer, via="agency", procedure=found.pk)
    return found


def agency_contracts(agency: Agency) -> QuerySet[Contract]:
    """The agency's clients' contracts: those it (or one of its 取扱店) is the 登録取扱機関 of."""
    return Contract.objects.filter(in_scope(agency, "handling_agency")).select_related(
        "party", "handling_agency"
    )


def client_contract(agency: Agency, number: str) -> Contract:
    """The client's contract with 共済契約者番号 `number`, or a clear refusal when it is not one
    the agency handles (the clerk typed it, so it is said rather than a 404)."""
    found = agency_contracts(agency).filter(number=number).first()
    if found is None:
        raise ProcedureError(
            f"共済契約者番号{number}は、{agency.name}（または傘下の取扱店）が取り扱うお客さまの契約ではありません。"
        )
    return found


def access_client_contract(viewer: Actor, agency: Agency, pk: int) -> Contract:
    """One of the agency's clients' contracts by id (another agency's is a 404); the clerk's
    view of the client's record is audited, as a staff view is."""
    found = get_object_or_404(agency_contracts(agency), pk=pk)
    record("party.view", found.party, actor=viewer, via="agency", contract=found.pk)
    return found


@dataclass(frozen=True)
class AgencyCounts:
    by_status: list[tuple[str, int]]  # (status label, count) in the order of Procedure.Status
    by_month: list[tuple[dt.date, int]]  # (first day of the month received, count), newest first
    awaiting_client: int  # links issued, neither confirmed nor expired
    total: int


def agency_counts(agency: Agency, *, now: dt.datetime) -> AgencyCounts:
    """How many of the agency's procedures are in each status and were received in each month
    (in the site's time zone, Asia/Tokyo), and how many links still wait for their client."""
    procedures = Procedure.objects.filter(in_scope(agency))
    statuses = dict(procedures.values_list("status").annotate(n=Count("pk")).order_by())
    months = (
        procedures.annotate(month=TruncMonth("received_at", tzinfo=timezone.get_current_timezone()))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("-month")
    )
    return AgencyCounts(
        by_status=[(s.label, statuses.get(s.value, 0)) for s in Procedure.Status],
        by_month=[(_as_date(month), n) for month, n in months],
        awaiting_client=pending_links(agency, now=now).count(),
        total=sum(statuses.values()),
    )


def _as_date(month: dt.date | dt.datetime) -> dt.date:
    return month.date() if isinstance(month, dt.datetime) else month


def pending_links(agency: Agency, *, now: dt.datetime) -> QuerySet[ConfirmationLink]:
    """Links the agency (or its 取扱店) issued that their client has not confirmed yet and that
    still work."""
    return agency_links(agency).filter(confirmed_at__isnull=True, expires_at__gt=now)


def agency_links(agency: Agency) -> QuerySet[ConfirmationLink]:
    return (
        ConfirmationLink.objects.filter(in_scope(agency))
        .select_related("agency", "procedure", "contract")
        .order_by("-created_at")
    )


def access_agency_link(agency: Agency, pk: int) -> ConfirmationLink:
    """One of the agency's links (or its 取扱店's); another agency's is a 404."""
    return get_object_or_404(agency_links(agency), pk=pk)


def link_by_token(token: str) -> ConfirmationLink:
    """The link a client opened; an unknown token is a 404."""
    link = (
        ConfirmationLink.objects.select_related("agency", "contract__party")
        .filter(token=token)
        .first()
    )
    if link is None:
        raise Http404
    return link


@dataclass(frozen=True)
class LinkProblem:
    message_ja: str  # for the client
    gone: bool  # used or expired: no one can confirm it any more (else: someone else's link)


def link_problem(link: ConfirmationLink, user: Actor, *, now: dt.datetime) -> LinkProblem | None:
    """Why `user` cannot confirm `link` now, or None when they can (an anonymous visitor is only
    told about a used or expired link)."""
    if link.confirmed_at is not None:
        return LinkProblem(
            "このリンクはすでに使われています。お申込みの状況はマイページでご確認ください。", True
        )
    if link.expires_at <= now:
        until = timezone.localtime(link.expires_at)
        return LinkProblem(
            f"このリンクの有効期限（{until.year}年{until.month}月{until.day}日 {until:%H:%M}）"
            f"が過ぎています。お手数ですが{link.agency.name}に新しいリンクの発行をご依頼ください。",
            True,
        )
    member = signed_in(user)
    if member is not None and (
        link.client_email.lower() not in {member.username.lower(), member.email.lower()}
        # A change is the holder's own: their login, whatever address the link names.
        or (link.contract is not None and link.contract.party.user_id != member.pk)
    ):
        return LinkProblem(
            "このリンクは別の方あてに発行されたものです。"
            f"{masked_email(link.client_email)} でログインし直してください。",
            False,
        )
    return None


def masked_email(email: str) -> str:
    """The address with most of its local part hidden, to say whose link it is."""
    local, _, domain = email.partition("@")
    return f"{local[:2]}{'*' * max(len(local) - 2, 1)}@{domain}"


# A procedure earns its fee once it went through (完了, or 承認 for one that pays out).
HANDLED = (Procedure.Status.DONE, Procedure.Status.APPROVED)
BOTH = "both"  # a procedure of no one scheme (住所・名称・代表者の変更)


@dataclass(frozen=True)
class MonthResult:
    month: dt.date
    new_contracts: dict[str, int]  # scheme → contracts issued in the month
    procedures: dict[str, int]  # scheme (BOTH: a change of the holder) → procedures handled
    fee: AgencyFee


@dataclass(frozen=True)
class BranchResult:
    agency: str
    new_contracts: int
    procedures: int


@dataclass(frozen=True)
class AgencyResults:
    fiscal_year: int
    months: list[MonthResult]  # April to March
    new_contracts: dict[str, int]  # the year's, by scheme
    procedures: dict[str, int]
    fee_yen: int
    by_agency: list[BranchResult]  # a 統轄店's year by 取扱店 (itself first); empty for a 取扱店


def agency_results(agency: Agency, fiscal_year: int) -> AgencyResults:
    """取扱実績 and 業務委託手数料 of `agency` (with its 取扱店) in the 年度 `fiscal_year`, by month:
    the contracts it is the 登録取扱機関 of issued in the month, by scheme, and its other
    procedures received in the month that went through, by scheme and kind, priced month by
    month with the fee table (rules.agency_fee). Counted in the database (GROUP BY month)."""
    tz = timezone.get_current_timezone()
    start = day_start(fiscal_year_start(fiscal_year))
    end = day_start(fiscal_year_start(fiscal_year + 1))
    contracts = (
        Contract.objects.filter(
            in_scope(agency, "handling_agency"), issued_at__gte=start, issued_at__lt=end
        )
        .annotate(month=TruncMonth("issued_at", tzinfo=tz))
        .values_list("month", "scheme")
        .annotate(n=Count("pk"))
        .order_by()
    )
    procedures = (
        _handled(agency)
        .filter(received_at__gte=start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values_list("month", "scheme", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    new: dict[dt.date, dict[str, int]] = defaultdict(Counter)
    items: dict[dt.date, dict[str, int]] = defaultdict(Counter)
    handled: dict[dt.date, dict[str, int]] = defaultdict(Counter)
    for month, scheme, n in contracts:
        new[_as_date(month)][scheme] += n
        items[_as_date(month)][new_contract_item(scheme)] += n
    for month, scheme, kind, n in procedures:
        handled[_as_date(month)][scheme or BOTH] += n
        items[_as_date(month)][procedure_item(kind)] += n
    months = [
        MonthResult(m, dict(new[m]), dict(handled[m]), agency_fee(items[m], month=m))
        for m in (add_months(fiscal_year_start(fiscal_year), i) for i in range(12))
    ]
    return AgencyResults(
        fiscal_year,
        months,
        dict(sum((Counter(m.new_contracts) for m in months), Counter())),
        dict(sum((Counter(m.procedures) for m in months), Counter())),
        sum(m.fee.total_yen for m in months),
        _by_branch(agency, start, end) if agency.branches.exists() else [],
    )


def _handled(agency: Agency) -> QuerySet[Procedure]:
    """The agency's procedures that earn a fee: gone through, other than an enrollment (which
    counts as the contract it made)."""
    return Procedure.objects.filter(in_scope(agency), status__in=HANDLED).exclude(
        kind=Procedure.Kind.ENROLLMENT
    )


def _by_branch(agency: Agency, start: dt.datetime, end: dt.datetime) -> list[BranchResult]:
    scope = Agency.objects.filter(Q(pk=agency.pk) | Q(parent=agency)).order_by(
        F("parent").asc(nulls_first=True), "code"
    )
    new = dict(
        Contract.objects.filter(handling_agency__in=scope, issued_at__gte=start, issued_at__lt=end)
        .values_list("handling_agency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    handled = dict(
        _handled(agency)
        .filter(received_at__gte=start, received_at__lt=end)
        .values_list("agency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [BranchResult(a.name, new.get(a.pk, 0), handled.get(a.pk, 0)) for a in scope]
