"""The BPO file reader (docs/intake-format.md): structure only, every problem by line and column."""

import pytest

from kyosai.formats.bpo_intake import COLUMNS, KEYED, IntakeFileError, read_intake_file


def line(form_id: str = "F-1", scheme: str = "tosan", confidence: str = "95", **values: str) -> str:
    row = dict.fromkeys(COLUMNS, "")
    row.update(form_id=form_id, scheme=scheme, agency_code="A00001", industry_class="製造業")
    row.update({f"{f}__confidence": confidence for f in KEYED})
    row.update(values)
    return ",".join(row[c] for c in COLUMNS)


HEADER = ",".join(COLUMNS)


def errors(text: str, encoding: str = "utf-8") -> list[tuple[int, str]]:
    with pytest.raises(IntakeFileError) as caught:
        read_intake_file(text.encode(encoding))
    return [(e.line, e.field) for e in caught.value.errors]


def test_a_bom_and_blank_lines_are_accepted_and_values_trimmed() -> None:
    data = f"{HEADER}\r\n{line(name=' 山田花子 ')}\r\n\r\n{line('F-2', 'shokibo', '7')}\r\n"
    forms = read_intake_file(data.encode("utf-8-sig"))
    assert [(f.line, f.form_id, f.scheme) for f in forms] == [
        (2, "F-1", "tosan"),
        (4, "F-2", "shokibo"),
    ]
    assert forms[0].values["name"] == "山田花子"
    assert forms[1].confidences["employees"] == 7


def test_the_header_must_name_every_column_once_and_no_other() -> None:
    header = HEADER.replace("phone__confidence", "fax__confidence") + ",form_id"
    assert errors(f"{header}\n{line()}\n") == [
        (1, "form_id"),
        (1, "fax__confidence"),
        (1, "phone__confidence"),
    ]


def test_every_row_problem_is_listed_with_its_line() -> None:
    text = "\n".join(
        [
            HEADER,
            line(scheme="kyosai"),
            line("F-2", confidence="-1"),
            line("F-1"),
            line("", phone__confidence="high"),
            line("F-5") + ",extra",
        ]
    )
    assert errors(text) == [
        (2, "scheme"),
        *[(3, f"{f}__confidence") for f in KEYED],
        (4, "form_id"),  # the same 書類番号 as line 2
        (5, "form_id"),
        (5, "phone__confidence"),
        (6, "(列数)"),
    ]


def test_an_empty_file_or_one_without_forms_is_refused() -> None:
    assert errors("") == [(1, "(ヘッダー)")]
    assert errors(f"{HEADER}\n") == [(2, "(データ)")]


def test_shift_jis_is_refused_at_the_line_of_the_first_bad_byte() -> None:
    # Line 2 is all ASCII; line 3 holds the first kanji.
    text = f"{HEADER}\n{line(industry_class='')}\n{line('F-2', name='山田')}\n"
    assert errors(text, "cp932") == [(3, "(文字コード)")]
