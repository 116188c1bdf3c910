"""Writes of paper intake: import a BPO file, key a doubtful field again, decide a disagreement.

- Import: the file is read and checked whole (`formats.bpo_intake`, then the BPO's own codes:
  委託機関, 業種分類) before anything is kept; one problem anywhere rejects the file, with every
  problem listed by line and column. Its sha256 is the idempotency key: the same file again
  returns the first import and changes nothing.
- Fields keyed below the confidence threshold (`common/intake_confidence_threshold`) wait for a
  second keying; a row is checked only once all its fields are settled.
- A settled row is examined (`intake.checks`): 不備 → the row keeps the list and its letter PDF;
  none → a paper-channel enrollment received on the file's 受付日, through
  `do_submit_enrollment`, once (the row's key).

Every function is atomic, takes `acting_user` by keyword and writes its audit rows.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from kyosai.agencies.models import Agency
from kyosai.contracts.selectors import CERTIFICATE_SCHEME_NAMES
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.days import day_start
from kyosai.core.errors import ApplicationError, ProcedureError
from kyosai.documents.deficiency_letter import DeficiencyLetterFacts, render_deficiency_letter
from kyosai.formats.bpo_intake import KeyedForm, parse_intake_file
from kyosai.formats.kana import normalize_text
from kyosai.formats.zengin import LineError
from kyosai.intake.checks import (
    FIELD_LABEL,
    INDUSTRY_CLASSES,
    INDUSTRY_DETAILS,
    comparable,
    examine,
)
from kyosai.intake.models import IntakeFile, IntakeRow, SecondKeying
from kyosai.procedures.actions import do_submit_enrollment
from kyosai.procedures.models import Procedure
from kyosai.rules.params import default_parameters
from kyosai.rules.scheme import Scheme

THRESHOLD = "common/intake_confidence_threshold"
MAX_KEYED = 200  # the longest value a field may hold (SecondKeying's columns)


class IntakeRejectedError(ApplicationError):
    """A file rejected whole; `errors` are its problems by line and column."""

    def __init__(self, errors: tuple[LineError, ...]) -> None:
        super().__init__(f"入力データファイルを取り込めません（{len(errors)}件の誤り）。")
        self.errors = errors


@dataclass(frozen=True)
class Imported:
    file: IntakeFile
    created: bool  # False: this file had been imported before; nothing changed


def do_import_intake_file(
    data: bytes, *, name: str, received_on: dt.date, acting_user: Actor
) -> Imported:
    """Import a BPO file whose forms were received on `received_on` (their 受付日)."""
    sha256 = hashlib.sha256(data).hexdigest()
    if (earlier := IntakeFile.objects.filter(sha256=sha256).first()) is not None:
        return Imported(earlier, created=False)
    if received_on > timezone.localdate():
        raise ProcedureError("受付日に今日より後の日付は指定できません。")
    forms, errors = parse_intake_file(data)
    agencies = {a.code: a for a in Agency.objects.filter(code__in={f.agency_code for f in forms})}
    threshold = default_parameters()[THRESHOLD].whole_at(received_on)
    if errors := errors + _code_errors(forms, agencies, threshold):
        raise IntakeRejectedError(tuple(sorted(errors, key=lambda e: e.line)))
    try:
        with transaction.atomic():
            file = IntakeFile.objects.create(
                sha256=sha256,
                name=name,
                received_on=received_on,
                imported_at=timezone.now(),
                imported_by=signed_in(acting_user),
                form_count=len(forms),
            )
            record("intake_file.import", file, actor=acting_user, sha256=sha256, forms=len(forms))
            for form in forms:
                _add_row(file, form, agencies[form.agency_code], threshold, acting_user)
    except IntegrityError:
        # The same file imported at the same moment by someone else: theirs stands.
        return Imported(IntakeFile.objects.get(sha256=sha256), created=False)
    return Imported(file, created=True)


def _code_errors(
    forms: list[KeyedForm], agencies: dict[str, Agency], threshold: int
) -> list[LineError]:
    """The BPO's own codes, which the reader cannot know: the agency and the industry class."""
    errors = []
    for form in forms:
        if form.agency_code not in agencies:
            errors.append(
                LineError(
                    form.line, "agency_code", f"委託機関コード「{form.agency_code}」がありません。"
                )
            )
        # Only a 業種 surely blank may go unclassified (its row is a 不備 anyway); a doubtful one
        # may be keyed again into a business the examination must classify.
        sure = form.confidences.get("industry", 0) >= threshold
        if (form.values["industry"] or not sure) and form.industry_class not in INDUSTRY_CLASSES:
            errors.append(
                LineError(
                    form.line,
                    "industry_class",
                    f"業種分類「{form.industry_class}」は{'・'.join(INDUSTRY_CLASSES)}のいずれかです。",
                )
            )
        if form.industry_detail and form.industry_detail not in INDUSTRY_DETAILS:
            errors.append(
                LineError(
                    form.line,
                    "industry_detail",
                    f"特定業種「{form.industry_detail}」は{'・'.join(INDUSTRY_DETAILS)}のいずれかか空欄です。",
                )
            )
        for field, value in form.values.items():
            if len(value) > MAX_KEYED:
                errors.append(LineError(form.line, field, f"{MAX_KEYED}文字を超えています。"))
    return errors


def _add_row(
    file: IntakeFile, form: KeyedForm, agency: Agency, threshold: int, acting_user: Actor
) -> None:
    row = IntakeRow.objects.create(
        file=file,
        line=form.line,
        form_id=form.form_id,
        scheme=form.scheme,
        agency=agency,
        industry_class=form.industry_class,
        industry_detail=form.industry_detail,
        values=form.values,
    )
    doubtful = [f for f, confidence in form.confidences.items() if confidence < threshold]
    SecondKeying.objects.bulk_create(
        SecondKeying(
            row=row,
            field=field,
            first_value=form.values[field],
            confidence=form.confidences[field],
        )
        for field in doubtful
    )
    if not doubtful:
        _settle_row(row, acting_user)


@transaction.atomic
def do_second_keying(keying: SecondKeying, value: str, *, acting_user: Actor) -> SecondKeying:
    """The second keyer's value: agreeing with the first (after normalisation) settles the
    field; differing leaves it for a third person to decide."""
    keying = SecondKeying.objects.select_for_update().select_related("row").get(pk=keying.pk)
    if keying.status != SecondKeying.Status.WAITING:
        raise ProcedureError("この項目の二次入力はすでに済んでいます。")
    keying.second_value = normalize_text(value)[:MAX_KEYED]
    keying.second_by = signed_in(acting_user)
    agreed = comparable(keying.second_value) == comparable(keying.first_value)
    if agreed:
        keying.status = SecondKeying.Status.SETTLED
        keying.settled_value = keying.second_value
    else:
        keying.status = SecondKeying.Status.DISPUTED
    keying.save(update_fields=["second_value", "second_by", "status", "settled_value"])
    record("second_keying.key", keying, actor=acting_user, agreed=agreed)
    if agreed:
        _settle_if_complete(keying.row, acting_user)
    return keying


@transaction.atomic
def do_decide_keying(keying: SecondKeying, value: str, *, acting_user: Actor) -> SecondKeying:
    """A third person, not the second keyer, reads the form and decides the field's value."""
    keying = SecondKeying.objects.select_for_update().select_related("row").get(pk=keying.pk)
    if keying.status != SecondKeying.Status.DISPUTED:
        raise ProcedureError("この項目は判定を待っていません。")
    if keying.second_by_id is not None and keying.second_by_id == getattr(acting_user, "pk", None):
        raise ProcedureError("二次入力をした人とは別の担当者が判定してください。")
    keying.settled_value = normalize_text(value)[:MAX_KEYED]
    keying.decided_by = signed_in(acting_user)
    keying.status = SecondKeying.Status.SETTLED
    keying.save(update_fields=["settled_value", "decided_by", "status"])
    record("second_keying.decide", keying, actor=acting_user)
    _settle_if_complete(keying.row, acting_user)
    return keying


def _settle_if_complete(row: IntakeRow, acting_user: Actor) -> None:
    row = IntakeRow.objects.select_for_update().get(pk=row.pk)
    if row.status != IntakeRow.Status.KEYING:
        return
    if row.keyings.exclude(status=SecondKeying.Status.SETTLED).exists():
        return
    for keying in row.keyings.all():
        row.values[keying.field] = keying.settled_value
    row.save(update_fields=["values"])
    _settle_row(row, acting_user)


def _settle_row(row: IntakeRow, acting_user: Actor) -> None:
    """Examine a row whose every field is settled: its 不備 and letter, or its enrollment."""
    file = row.file
    scheme = Scheme(row.scheme)
    examined = examine(
        scheme,
        row.values,
        industry_class=row.industry_class,
        industry_detail=row.industry_detail,
        on=file.received_on,
    )
    row.settled_at = timezone.now()
    if examined.application is None:
        row.status = IntakeRow.Status.DEFICIENT
        row.deficiencies = [
            {"field": d.field, "code": d.code, "message": d.message} for d in examined.deficiencies
        ]
        row.letter = render_deficiency_letter(_letter_facts(row, timezone.localdate()))
        row.save(update_fields=["status", "deficiencies", "letter", "settled_at"])
        record(
            "intake_row.deficient",
            row,
            actor=acting_user,
            codes=[d.code for d in examined.deficiencies],
        )
        return
    row.procedure = do_submit_enrollment(
        examined.application,
        channel=Procedure.Channel.PAPER,
        idempotency_key=f"intake:{file.sha256[:48]}:{row.line}",
        received_at=day_start(file.received_on),
        acting_user=acting_user,
        agency=row.agency,
    )
    row.status = IntakeRow.Status.SUBMITTED
    row.save(update_fields=["status", "procedure", "settled_at"])
    record("intake_row.submit", row, actor=acting_user, procedure=row.procedure.pk)


def _letter_facts(row: IntakeRow, issued_on: dt.date) -> DeficiencyLetterFacts:
    values = {k: normalize_text(v) for k, v in row.values.items()}
    postal = values.get("postal_code", "")
    address = values.get("address", "")
    return DeficiencyLetterFacts(
        scheme_name=CERTIFICATE_SCHEME_NAMES[Scheme(row.scheme)],
        applicant=values.get("company_name") or values.get("name") or "お申込者",
        address=f"〒{postal} {address}" if address else "",
        form_id=row.form_id,
        agency=row.agency.name if row.agency else "",
        received_on=row.file.received_on,
        problems=tuple((FIELD_LABEL[d["field"]], d["message"]) for d in row.deficiencies),
        issued_on=issued_on,
    )
