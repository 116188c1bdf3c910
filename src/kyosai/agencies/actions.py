"""Writes of the agency channel: a clerk takes a client's application in one of two ways.

- Online confirmation: the clerk keys the application and issues a one-time link (shown with a
  QR code) for the client's e-mail address. The client opens it, signs in or signs up as that
  address, reviews and confirms; only then is the enrollment submitted, as the client's own
  (channel `agency`, the agency recorded as handling it). The link works once, until it expires
  (`common/agency_confirmation_days`, counted from its issue).
- Paper: the client signed the paper form at the agency; the clerk keys it with the agency's
  受付日, which becomes the procedure's received date (channel `paper`, the agency recorded).
  A client's 共済金貸付請求 comes this way too, with its documents: a 共済金 loan goes through
  the contract's 登録取扱機関 (tosan_rules C2).

A change for an existing client (掛金月額変更, 住所・名称・代表者の変更) is taken the same two
ways, for a contract the agency (or one of its 取扱店) handles: the member's own change actions
(procedures.changes) do the work, with the agency recorded, so the rules are the member's.

Every function here is atomic, takes `acting_user` by keyword and writes its audit row; the
procedure's timeline is written by the enrollment or change action they hand over to.
"""

import dataclasses
import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from kyosai.agencies.models import Agency, AgencyClerk, ConfirmationLink
from kyosai.agencies.selectors import agency_contracts, client_contract, link_problem
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.days import day_start
from kyosai.core.errors import ProcedureError
from kyosai.loans.actions import AttachmentFile, KyosaikinLoanRequest, do_submit_kyosaikin_loan
from kyosai.procedures.actions import (
    EnrollmentApplication,
    application_from_payload,
    do_submit_enrollment,
    payload_of,
)
from kyosai.procedures.changes import (
    PartyChange,
    check_premium_change,
    do_submit_party_change,
    do_submit_premium_change,
)
from kyosai.procedures.models import Procedure
from kyosai.rules.params import default_parameters
from kyosai.rules.scheme import Scheme

LINK_VALIDITY = "common/agency_confirmation_days"


def do_issue_confirmation_link(
    application: EnrollmentApplication,
    *,
    agency: Agency,
    client_email: str,
    idempotency_key: str,
    now: dt.datetime,
    acting_user: Actor,
) -> ConfirmationLink:
    """A one-time link for the client to confirm `application` (a repeated key returns the
    first link, so a double submit of the clerk's form issues one)."""
    clerk = _clerk_of(agency, acting_user)
    if (existing := ConfirmationLink.objects.filter(idempotency_key=idempotency_key)).exists():
        return existing.get()
    days = default_parameters()[LINK_VALIDITY].whole_at(timezone.localdate(now))
    try:
        with transaction.atomic():
            link = ConfirmationLink.objects.create(
                agency=agency,
                created_by=clerk,
                created_at=now,
                expires_at=now + dt.timedelta(days=days),
                idempotency_key=idempotency_key,
                token=secrets.token_urlsafe(32),
                client_email=client_email,
                payload=payload_of(application),
            )
            record(
                "agency_link.issue",
                link,
                actor=acting_user,
                agency=agency.code,
                scheme=application.scheme.value,
                expires_at=link.expires_at.isoformat(),
            )
    except IntegrityError:
        return ConfirmationLink.objects.get(idempotency_key=idempotency_key)
    return link


@transaction.atomic
def do_confirm_link(link: ConfirmationLink, *, acting_user: Actor) -> Procedure:
    """The client confirms what the agency keyed: the enrollment or the change is submitted as
    theirs, received now."""
    link = (
        ConfirmationLink.objects.select_for_update(of=("self",))
        .select_related("agency", "contract__party")
        .get(pk=link.pk)
    )
    now = timezone.now()
    if signed_in(acting_user) is None:
        raise ProcedureError("ログインしてからお申込みを確認してください。")
    if (problem := link_problem(link, acting_user, now=now)) is not None:
        raise ProcedureError(problem.message_ja)
    key = f"agency-link:{link.pk}"
    if link.contract is None:
        procedure = do_submit_enrollment(
            application_from_payload(link.payload),
            channel=Procedure.Channel.AGENCY,
            idempotency_key=key,
            received_at=now,
            acting_user=acting_user,
            agency=link.agency,
        )
    else:
        procedure = _submit_change(
            link.contract, ConfirmationLink.Kind(link.kind), link.payload,
            channel=Procedure.Channel.AGENCY, idempotency_key=key, received_at=now,
            acting_user=acting_user, agency=link.agency,
        )  # fmt: skip
    link.confirmed_at = now
    link.procedure = procedure
    link.save(update_fields=["confirmed_at", "procedure"])
    record("agency_link.confirm", link, actor=acting_user, procedure=procedure.pk)
    return procedure


@transaction.atomic
def do_receive_paper_enrollment(
    application: EnrollmentApplication,
    *,
    agency: Agency,
    received_on: dt.date,
    idempotency_key: str,
    acting_user: Actor,
) -> Procedure:
    """A paper form the agency received on `received_on` (its 受付日), keyed by the clerk."""
    _clerk_of(agency, acting_user)
    if received_on > timezone.localdate():
        raise ProcedureError("受付日に今日より後の日付は入力できません。")
    return do_submit_enrollment(
        application,
        channel=Procedure.Channel.PAPER,
        idempotency_key=idempotency_key,
        received_at=day_start(received_on),
        acting_user=acting_user,
        agency=agency,
    )


def _clerk_of(agency: Agency, acting_user: Actor) -> User:
    """The acting clerk, who must work for `agency`."""
    clerk = signed_in(acting_user)
    if clerk is None or not AgencyClerk.objects.filter(user=clerk, agency=agency).exists():
        raise ProcedureError("この委託機関の担当者だけが受け付けられます。")
    return clerk


@transaction.atomic
def do_receive_kyosaikin_loan(
    contract_number: str,
    request: KyosaikinLoanRequest,
    attachments: list[AttachmentFile],
    *,
    agency: Agency,
    received_on: dt.date,
    idempotency_key: str,
    acting_user: Actor,
) -> Procedure:
    """A client's 共済金貸付請求 the agency received on paper on `received_on`, keyed by the
    clerk with the documents: only for a tosan contract the agency (or one of its 取扱店)
    handles (its 登録取扱機関, tosan_rules C2)."""
    clerk = _clerk_of(agency, acting_user)
    # A 取扱店's request may reach the 機構 through its 統轄店: either may key it.
    contract = agency_contracts(agency).filter(number=contract_number, scheme=Scheme.TOSAN).first()
    if contract is None:
        raise ProcedureError(
            f"共済契約者番号{contract_number}は、この委託機関が取り扱う経営セーフティ共済の契約ではありません。"
        )
    if received_on > timezone.localdate():
        raise ProcedureError("受付日に今日より後の日付は入力できません。")
    return do_submit_kyosaikin_loan(
        contract, request, attachments, channel=Procedure.Channel.PAPER,
        idempotency_key=idempotency_key,
        received_at=day_start(received_on),
        acting_user=clerk, agency=agency,
    )  # fmt: skip


@dataclass(frozen=True)
class PremiumChangeRequest:
    """掛金月額変更 as the clerk keyed it (the member's form's fields)."""

    new_monthly_yen: int
    desired_month: dt.date
    decrease_reason: str = ""


ClientChange = PremiumChangeRequest | PartyChange


def _kind_and_payload(change: ClientChange) -> tuple[ConfirmationLink.Kind, dict[str, object]]:
    payload = dataclasses.asdict(change)
    if isinstance(change, PremiumChangeRequest):
        payload["desired_month"] = change.desired_month.isoformat()
        return ConfirmationLink.Kind.PREMIUM_CHANGE, payload
    return ConfirmationLink.Kind.PARTY_CHANGE, payload


def _submit_change(
    contract: Contract,
    kind: ConfirmationLink.Kind,
    payload: dict[str, object],
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
    agency: Agency,
) -> Procedure:
    """The member's own change action, with the agency recorded as handling it."""
    if kind == ConfirmationLink.Kind.PREMIUM_CHANGE:
        return do_submit_premium_change(
            contract,
            new_monthly_yen=int(str(payload["new_monthly_yen"])),
            desired_month=dt.date.fromisoformat(str(payload["desired_month"])),
            decrease_reason=str(payload["decrease_reason"]),
            channel=channel, idempotency_key=idempotency_key, received_at=received_at,
            acting_user=acting_user, agency=agency,
        )  # fmt: skip
    return do_submit_party_change(
        contract.party,
        PartyChange(**{k: str(v) for k, v in payload.items()}),
        channel=channel, idempotency_key=idempotency_key, received_at=received_at,
        acting_user=acting_user, agency=agency,
    )  # fmt: skip


def _refusal_now(contract: Contract, change: ClientChange, on: dt.date) -> str:
    """Why the change would be refused if the client confirmed it today ("" if it would not):
    the member's own checks, so the clerk hears them before handing over a link."""
    if isinstance(change, PremiumChangeRequest):
        quote = check_premium_change(
            contract, change.new_monthly_yen, desired_month=change.desired_month,
            decrease_reason=change.decrease_reason, on=on,
        )  # fmt: skip
        return "" if quote.allowed else " ".join(r.message_ja for r in quote.reasons)
    party = contract.party
    if all(getattr(party, k) == v for k, v in dataclasses.asdict(change).items()):
        return "変更する項目がありません。"
    return ""


def do_issue_change_link(
    contract_number: str,
    change: ClientChange,
    *,
    agency: Agency,
    idempotency_key: str,
    now: dt.datetime,
    acting_user: Actor,
) -> ConfirmationLink:
    """A one-time link for the holder of the agency's client's contract to confirm `change`
    with their own login (a repeated key returns the first link). A holder without a login
    cannot confirm online: the clerk takes the paper form instead."""
    clerk = _clerk_of(agency, acting_user)
    if (existing := ConfirmationLink.objects.filter(idempotency_key=idempotency_key)).exists():
        return existing.get()
    contract = client_contract(agency, contract_number)
    holder = contract.party.user
    if holder is None:
        raise ProcedureError(
            f"{contract.party.name}さまはマイページに登録されていないため、オンラインでは確認できません。"
            "書面の届出書を受け付けてください。"
        )
    if refusal := _refusal_now(contract, change, timezone.localdate(now)):
        raise ProcedureError(refusal)
    kind, payload = _kind_and_payload(change)
    days = default_parameters()[LINK_VALIDITY].whole_at(timezone.localdate(now))
    try:
        with transaction.atomic():
            link = ConfirmationLink.objects.create(
                kind=kind, contract=contract, agency=agency, created_by=clerk, created_at=now,
                expires_at=now + dt.timedelta(days=days), idempotency_key=idempotency_key,
                token=secrets.token_urlsafe(32), client_email=holder.email or holder.username,
                payload=payload,
            )  # fmt: skip
            record(
                "agency_link.issue", link, actor=acting_user, agency=agency.code, kind=kind,
                contract=contract.number, expires_at=link.expires_at.isoformat(),
            )  # fmt: skip
    except IntegrityError:
        return ConfirmationLink.objects.get(idempotency_key=idempotency_key)
    return link


@transaction.atomic
def do_receive_paper_change(
    contract_number: str,
    change: ClientChange,
    *,
    agency: Agency,
    received_on: dt.date,
    idempotency_key: str,
    acting_user: Actor,
) -> Procedure:
    """The client's paper 変更届 the agency received on `received_on` (its 受付日), keyed by
    the clerk: the member's change action decides it as of that day."""
    _clerk_of(agency, acting_user)
    contract = client_contract(agency, contract_number)
    if received_on > timezone.localdate():
        raise ProcedureError("受付日に今日より後の日付は入力できません。")
    kind, payload = _kind_and_payload(change)
    return _submit_change(
        contract, kind, payload, channel=Procedure.Channel.PAPER, idempotency_key=idempotency_key,
        received_at=day_start(received_on),
        acting_user=acting_user, agency=agency,
    )  # fmt: skip
