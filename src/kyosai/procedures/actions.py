"""Writes on enrollments: submit, automatic checks, straight-through approval, and what a staff
approval does (the review itself — claims, decisions, four-eyes — is procedures.review).

Every function here is atomic, takes `acting_user` by keyword and writes its own audit rows and
timeline events. An enrollment whose automatic checks all pass is approved and its contract issued
at once (STP); a fixable problem (the bank account, the premium) sends it back to the member as
不備; anything else waits in the staff queue.
"""

import contextlib
import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kyosai.agencies.models import Agency
from kyosai.contracts.actions import do_issue_certificate
from kyosai.contracts.models import Contract, DebitMandate, PremiumTerm
from kyosai.core.audit import Actor, next_in_sequence, record, signed_in
from kyosai.core.errors import ProcedureError
from kyosai.formats.identifiers import contract_number
from kyosai.notices import events as notices
from kyosai.parties.models import Party
from kyosai.parties.rule_inputs import shokibo_applicant, tosan_applicant
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import add_event, received_before, set_status
from kyosai.reference.banks import branch
from kyosai.rules.calendar import month_of
from kyosai.rules.errors import RuleError
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.eligibility import Position, check_eligibility
from kyosai.rules.shokibo.premiums import check_monthly_premium
from kyosai.rules.tosan.eligibility import eligibility
from kyosai.rules.tosan.premiums import check_monthly


@dataclass(frozen=True)
class PartyFacts:
    """The applicant as the form (or the BPO file) gives it, already normalised."""

    kind: str
    organisation: str
    name: str
    name_kana: str
    postal_code: str
    prefecture_code: str
    address: str
    phone: str
    industry: str
    employees: int
    business_started_on: dt.date
    industry_detail: str = ""
    corporate_number: str | None = None
    capital_yen: int | None = None
    representative_name: str = ""
    representative_kana: str = ""


@dataclass(frozen=True)
class MandateFacts:
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    holder_kana: str  # half-width, as the bank file carries it


@dataclass(frozen=True)
class EnrollmentApplication:
    scheme: Scheme
    party: PartyFacts
    monthly_yen: int
    mandate: MandateFacts
    position: str = ""  # shokibo: the applicant's position (Position)


@dataclass(frozen=True)
class Check:
    name: str
    label: str  # Japanese, shown in the timeline
    passed: bool
    detail: str = ""
    fixable: bool = False  # the member can correct it in place (不備)


def do_submit_enrollment(
    application: EnrollmentApplication,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
    agency: Agency | None = None,
) -> Procedure:
    """Receive an application once (a repeated key returns the first), then check it.

    `agency` is the handling agency (委託機関) it came through. The applicant is the acting
    member, except on paper: whoever keys a paper form (an agency clerk) is not the applicant,
    whose party is then a new one without a login."""
    if application.scheme == Scheme.SHOKIBO and application.position not in {
        p.value for p in Position
    }:
        raise ProcedureError("加入する方の立場（個人事業主・会社の役員など）を選んでください。")
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    try:
        with transaction.atomic():
            procedure = _receive(
                application, channel, idempotency_key, received_at, acting_user, agency
            )
            _check_enrollment(procedure, acting_user)
    except IntegrityError:
        # A concurrent double submit won the unique key: answer with its procedure.
        return Procedure.objects.get(idempotency_key=idempotency_key)
    return procedure


def _receive(
    application: EnrollmentApplication,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
    agency: Agency | None,
) -> Procedure:
    party = _party_of(acting_user, application.party, own=channel != Procedure.Channel.PAPER)
    procedure = Procedure.objects.create(
        kind=Procedure.Kind.ENROLLMENT,
        scheme=application.scheme,
        channel=channel,
        party=party,
        agency=agency,
        submitted_by=signed_in(acting_user),
        received_at=received_at,
        idempotency_key=idempotency_key,
        payload=payload_of(application),
    )
    through = f"（{agency.name}経由）" if agency else ""
    add_event(
        procedure, Procedure.Status.RECEIVED, f"お申込みを受け付けました{through}。", acting_user
    )
    record("procedure.submit", procedure, actor=acting_user, kind=procedure.kind, channel=channel)
    return procedure


@transaction.atomic
def do_resubmit_enrollment(
    procedure: Procedure, application: EnrollmentApplication, *, acting_user: Actor
) -> Procedure:
    """A 不備 fixed in place: the corrected application replaces the payload (the earlier one
    stays in the audit log) and goes through the same automatic checks again."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.status != Procedure.Status.DEFICIENT:
        raise ProcedureError("この手続きは修正を受け付けていません。")
    if application.scheme != procedure.scheme:
        raise ProcedureError("申込みの共済を変えることはできません。")
    record("procedure.resubmit", procedure, actor=acting_user, previous=procedure.payload)
    procedure.party = _party_of(acting_user, application.party)
    procedure.payload = payload_of(application)
    procedure.deficiencies = []
    procedure.save(update_fields=["party", "payload", "deficiencies"])
    set_status(
        procedure, Procedure.Status.RECEIVED, acting_user, "修正したお申込みを受け付けました。"
    )
    _check_enrollment(procedure, acting_user)
    return procedure


def _party_of(acting_user: Actor, facts: PartyFacts, *, own: bool = True) -> Party:
    """The member's own party when they have one (updated from the application), else a new one.
    Not `own` (a paper form keyed for someone else): the party with the form's 法人番号 if there
    is one, else a new party without a login."""
    fields = dataclasses.asdict(facts)
    member = signed_in(acting_user) if own else None
    if own:
        party = Party.objects.filter(user=member).first() if member else None
    else:
        number = facts.corporate_number
        party = Party.objects.filter(corporate_number=number).first() if number else None
    if party is None:
        party = Party.objects.create(user=member, **fields)
        record("party.create", party, actor=acting_user)
        return party
    changed = {k: v for k, v in fields.items() if getattr(party, k) != v}
    for key, value in changed.items():
        setattr(party, key, value)
    if changed:
        party.save(update_fields=list(changed))
        record("party.update", party, actor=acting_user, fields=sorted(changed))
    return party


def payload_of(application: EnrollmentApplication) -> dict[str, Any]:
    """The application as JSON (dates as ISO text), stored exactly as submitted."""
    payload: dict[str, Any] = _json_safe(dataclasses.asdict(application))
    return payload


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def application_from_payload(data: dict[str, Any]) -> EnrollmentApplication:
    party = dict(data["party"])
    party["business_started_on"] = dt.date.fromisoformat(party["business_started_on"])
    return EnrollmentApplication(
        scheme=Scheme(data["scheme"]),
        party=PartyFacts(**party),
        monthly_yen=data["monthly_yen"],
        mandate=MandateFacts(**data["mandate"]),
        position=data["position"],
    )


def check_enrollment(application: EnrollmentApplication, *, on: dt.date) -> list[Check]:
    """The automatic checks of an application, without saving anything (the portal's preview)."""
    applicant = Party(**dataclasses.asdict(application.party))
    return [
        _eligibility_check(application, applicant, on),
        _premium_check(application, on),
        _mandate_check(application.mandate),
    ]


def _check_enrollment(procedure: Procedure, acting_user: Actor) -> None:
    application = application_from_payload(procedure.payload)
    applied_on = timezone.localdate(procedure.received_at)
    assert procedure.party is not None  # an enrollment always has its applicant
    checks = [
        *check_enrollment(application, on=applied_on),
        _no_live_contract_check(application, procedure.party),
    ]
    shown = [dataclasses.asdict(c) for c in checks]
    fixable = [c for c in checks if not c.passed and c.fixable]
    if all(c.passed for c in checks):
        set_status(
            procedure,
            Procedure.Status.APPROVED,
            acting_user,
            "自動審査ですべての確認が済み、承認されました。",
            shown,
        )
        issue_contract(procedure, application, applied_on, acting_user)
    elif fixable and len(fixable) == sum(not c.passed for c in checks):
        procedure.deficiencies = [{"code": c.name, "message": c.detail} for c in fixable]
        procedure.save(update_fields=["deficiencies"])
        set_status(
            procedure,
            Procedure.Status.DEFICIENT,
            acting_user,
            "お申込みの内容に不備があります。修正して再提出してください。",
            shown,
        )
    else:
        set_status(
            procedure,
            Procedure.Status.CHECKING,
            acting_user,
            "担当者が内容を確認しています。",
            shown,
        )


def _eligibility_check(application: EnrollmentApplication, party: Party, on: dt.date) -> Check:
    label = "加入資格"
    try:
        if application.scheme == Scheme.TOSAN:
            tosan_decision = eligibility(tosan_applicant(party), applied_on=on)
            allowed, reasons = tosan_decision.eligible, tosan_decision.reasons
        else:
            decision = check_eligibility(
                shokibo_applicant(party, Position(application.position)), on=on
            )
            allowed, reasons = decision.allowed, decision.reasons
    except RuleError as exc:
        return Check("eligibility", label, False, exc.message_ja)
    return Check("eligibility", label, allowed, " ".join(r.message_ja for r in reasons))


def _premium_check(application: EnrollmentApplication, on: dt.date) -> Check:
    label = "掛金月額"
    if application.scheme == Scheme.TOSAN:
        try:
            check_monthly(application.monthly_yen, on)
        except RuleError as exc:
            return Check("premium", label, False, exc.message_ja, fixable=True)
        return Check("premium", label, True)
    decision = check_monthly_premium(application.monthly_yen, on=on)
    detail = " ".join(r.message_ja for r in decision.reasons)
    return Check("premium", label, decision.allowed, detail, fixable=True)


def _no_live_contract_check(application: EnrollmentApplication, party: Party) -> Check:
    live = party.contracts.filter(scheme=application.scheme).exclude(
        status__in=[Contract.Status.CANCELLED, Contract.Status.ENDED]
    )
    if live.exists():
        return Check("no_live_contract", "重複加入", False, "すでにこの共済の契約があります。")
    return Check("no_live_contract", "重複加入", True)


def _mandate_check(mandate: MandateFacts) -> Check:
    label = "振替口座"
    try:
        branch(mandate.bank_code, mandate.branch_code)
    except RuleError as exc:
        return Check("mandate", label, False, exc.message_ja, fixable=True)
    return Check("mandate", label, True)


def issue_contract(
    procedure: Procedure,
    application: EnrollmentApplication,
    applied_on: dt.date,
    acting_user: Actor,
) -> Contract:
    """The contract an approved application makes (an enrollment, or the new contract of a
    shokibo 通算), with its number, first premium term, mandate and stored certificate."""
    scheme = application.scheme
    serial = next_in_sequence(f"contract:{scheme}")
    assert procedure.party is not None
    contract = Contract.objects.create(
        scheme=scheme,
        number=contract_number(scheme, serial),
        party=procedure.party,
        position=application.position,
        joined_month=month_of(applied_on),
        handling_agency=procedure.agency,
        issued_at=timezone.now(),
    )
    PremiumTerm.objects.create(
        contract=contract,
        monthly_yen=application.monthly_yen,
        valid_from_month=contract.joined_month,
    )
    DebitMandate.objects.create(
        contract=contract, valid_from=applied_on, **dataclasses.asdict(application.mandate)
    )
    procedure.contract = contract
    procedure.save(update_fields=["contract"])
    record("contract.issue", contract, actor=acting_user, procedure=procedure.pk)
    # A back-dated application (an old contract entered late) may predate the parameters its
    # first debit needs: the contract stands without a stored certificate rather than not at all.
    with contextlib.suppress(RuleError):
        do_issue_certificate(contract, acting_user=acting_user)
    notices.contract_issued(contract, acting_user=acting_user)
    set_status(
        procedure,
        Procedure.Status.DONE,
        acting_user,
        f"契約を締結しました（共済契約者番号 {contract.number}）。",
    )
    return contract


def complete_enrollment(procedure: Procedure, *, acting_user: Actor) -> None:
    """An enrollment approved by staff (called by procedures.review inside its transaction): the
    contract is issued as it would have been straight through."""
    set_status(procedure, Procedure.Status.APPROVED, acting_user, "担当者が承認しました。")
    application = application_from_payload(procedure.payload)
    issue_contract(procedure, application, timezone.localdate(procedure.received_at), acting_user)
