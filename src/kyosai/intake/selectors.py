"""Reads of paper intake for the staff console: the imported files, a file's forms, the second
keying queue and a 不備 letter (the applicant's name and address: its reading is audited)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from kyosai.core.audit import Actor, record
from kyosai.intake.checks import FIELD_LABEL
from kyosai.intake.models import IntakeFile, IntakeRow, SecondKeying


def intake_files() -> QuerySet[IntakeFile]:
    """The latest files, each with its forms counted by status."""
    per_status = {
        f"{status}_count": Count("forms", filter=Q(forms__status=status))
        for status in IntakeRow.Status.values
    }
    return IntakeFile.objects.annotate(**per_status).order_by("-pk")[:50]


@dataclass(frozen=True)
class FormLine:
    row: IntakeRow
    deficiencies: list[dict[str, Any]]  # each with its field's Japanese label
    open_keyings: int


def intake_file_detail(pk: int) -> tuple[IntakeFile, list[FormLine]]:
    file = get_object_or_404(IntakeFile, pk=pk)
    rows = file.forms.select_related("procedure").annotate(
        open_keyings=Count("keyings", filter=~Q(keyings__status=SecondKeying.Status.SETTLED))
    )
    return file, [
        FormLine(
            row,
            [{**d, "label": FIELD_LABEL[d["field"]]} for d in row.deficiencies],
            row.open_keyings,  # annotated above
        )
        for row in rows
    ]


def open_keyings() -> QuerySet[SecondKeying]:
    """Fields waiting for their second keying or a decision, oldest first."""
    return (
        SecondKeying.objects.exclude(status=SecondKeying.Status.SETTLED)
        .select_related("row__file")
        .order_by("pk")
    )


def keying_for_staff(pk: int) -> SecondKeying:
    return get_object_or_404(SecondKeying.objects.select_related("row__file", "second_by"), pk=pk)


def letter_for_staff(pk: int, *, acting_user: Actor) -> IntakeRow:
    """A 不備 row with its letter (404 for any other row); the reading is audited."""
    row = get_object_or_404(IntakeRow, pk=pk, status=IntakeRow.Status.DEFICIENT)
    record("intake_row.letter_read", row, actor=acting_user)
    return row
