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

Every function here is atomic, takes `acting_user` by keyword and writes its audit row; the
procedure's timeline is written by the enrollment action they hand over to.
"""

import datetime as dt
import secrets

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from kyosai.agencies.models import Agency, AgencyClerk, ConfirmationLink
from kyosai.agencies.selectors import link_problem
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.errors import ProcedureError
from kyosai.loans.actions import AttachmentFile, KyosaikinLoanRequest, do_submit_kyosaikin_loan
from kyosai.procedures.actions import (
    EnrollmentApplication,
    application_from_payload,
    do_submit_enrollment,
    payload_of,
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
def do_confirm_enrollment(link: ConfirmationLink, *, acting_user: Actor) -> Procedure:
    """The client confirms what the agency keyed: the enrollment is submitted as theirs."""
    link = ConfirmationLink.objects.select_for_update().select_related("agency").get(pk=link.pk)
    now = timezone.now()
    if signed_in(acting_user) is None:
        raise ProcedureError("ログインしてからお申込みを確認してください。")
    if (problem := link_problem(link, acting_user, now=now)) is not None:
        raise ProcedureError(problem.message_ja)
    procedure = do_submit_enrollment(
        application_from_payload(link.payload),
        channel=Procedure.Channel.AGENCY,
        idempotency_key=f"agency-link:{link.pk}",
        received_at=now,
        acting_user=acting_user,
        agency=link.agency,
    )
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
        received_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time())),
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
    clerk with the documents: only for a tosan contract the agency handles (its 登録取扱機関,
    tosan_rules C2)."""
    clerk = _clerk_of(agency, acting_user)
    contract = Contract.objects.filter(
        number=contract_number, scheme=Scheme.TOSAN, handling_agency=agency
    ).first()
    if contract is None:
        raise ProcedureError(
            f"共済契約者番号{contract_number}は、この委託機関が取り扱う経営セーフティ共済の契約ではありません。"
        )
    if received_on > timezone.localdate():
        raise ProcedureError("受付日に今日より後の日付は入力できません。")
    return do_submit_kyosaikin_loan(
        contract, request, attachments, channel=Procedure.Channel.PAPER,
        idempotency_key=idempotency_key,
        received_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time())),
        acting_user=clerk, agency=agency,
    )  # fmt: skip
