"""The BPO's keyed application forms (加入申込書の入力データ), read whole before anything is kept.

One CSV row per paper 加入申込書, UTF-8 (a BOM is accepted), a header row naming the columns
(docs/intake-format.md). The BPO's own columns (`META`) carry no confidence; every keyed field
`f` comes with `f__confidence`, the OCR/keying confidence 0–100 (an integer).

This module checks the structure only: the encoding, the header, the column count of each line,
the confidences, the form ids and the scheme. What the applicant wrote (a blank 業種, a blank
従業員数) is not a file error: it is a 不備 the intake app reports per row. Every problem found is
listed (not only the first), with its line number (the header is line 1) and column.
"""

import csv
import io
from dataclasses import dataclass

from kyosai.formats.zengin import LineError
from kyosai.rules.errors import RuleError

# Filled in by the BPO from the form and its envelope, not OCR'd field by field.
META = ("form_id", "scheme", "agency_code", "industry_class", "industry_detail")

# The fields keyed from the form; each has a `<field>__confidence` column beside it.
KEYED = (
    "kind",  # 個人・法人の別
    "position",  # 事業上の地位（小規模企業共済のみ）
    "organisation",  # 法人の種類
    "corporate_number",  # 法人番号
    "company_name",  # 屋号または社名（事業所の名称）
    "name",  # 氏名（個人は申込者、法人は代表者）
    "name_kana",  # フリガナ（法人は社名、個人は氏名）
    "postal_code",
    "address",  # 事業主または会社等の住所（会社所在地）
    "phone",
    "industry",  # 業種（具体的な事業内容）
    "employees",  # 常時使用する従業員数
    "capital_yen",  # 資本金
    "business_started",  # 開業年月
    "monthly_yen",  # 掛金月額
    "bank_code",
    "branch_code",
    "account_type",
    "account_number",
    "holder_kana",
)
CONFIDENCE_SUFFIX = "__confidence"
COLUMNS = (*META, *(c for f in KEYED for c in (f, f"{f}{CONFIDENCE_SUFFIX}")))
SCHEMES = ("shokibo", "tosan")
MAX_FORM_ID = 40


@dataclass(frozen=True)
class KeyedForm:
    """One form as the BPO keyed it: `values` as typed (trimmed), `confidences` 0–100."""

    line: int
    form_id: str
    scheme: str
    agency_code: str
    industry_class: str
    industry_detail: str
    values: dict[str, str]
    confidences: dict[str, int]


class IntakeFileError(RuleError):
    """A whole file rejected; `errors` lists every problem with its line and column."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = tuple(errors)
        first = errors[0]
        super().__init__(
            f"入力データファイルに{len(errors)}件の誤りがあります（{first.line}行目 "
            f"{first.field}: {first.message_ja}）",
            f"{len(errors)} problems, first at line {first.line}",
        )


def read_intake_file(data: bytes) -> list[KeyedForm]:
    """Every form of the file, or IntakeFileError listing everything wrong with it."""
    forms, errors = parse_intake_file(data)
    if errors:
        raise IntakeFileError(errors)
    return forms


def parse_intake_file(data: bytes) -> tuple[list[KeyedForm], list[LineError]]:
    """The forms that could be read and every problem found (a caller adding checks of its own
    reports them together); no forms at all when the encoding or the header is wrong."""
    try:
        text = _decode(data)
    except IntakeFileError as exc:
        return [], list(exc.errors)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return [], [LineError(1, "(ヘッダー)", "ファイルが空です。")]
    errors = _header_errors([h.strip() for h in header])
    if errors:
        return [], errors
    names = [h.strip() for h in header]
    forms: list[KeyedForm] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line (a trailing newline in a spreadsheet export)
        if len(cells) != len(names):
            errors.append(
                LineError(line, "(列数)", f"列の数が{len(cells)}です（ヘッダーは{len(names)}列）。")
            )
            continue
        row = {name: cell.strip() for name, cell in zip(names, cells, strict=True)}
        form, problems = _form(line, row)
        errors += problems
        if form.form_id in seen:
            errors.append(
                LineError(
                    line,
                    "form_id",
                    f"書類番号{form.form_id}が{seen[form.form_id]}行目と重複しています。",
                )
            )
        seen.setdefault(form.form_id, line)
        forms.append(form)
    if not forms and not errors:
        errors.append(LineError(2, "(データ)", "申込書の行がありません。"))
    return forms, errors


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IntakeFileError(
            [
                LineError(
                    line,
                    "(文字コード)",
                    "UTF-8として読めない文字があります。UTF-8で保存し直してください"
                    "（Shift_JISなどは受け付けません）。",
                )
            ]
        ) from None


def _header_errors(header: list[str]) -> list[LineError]:
    errors = []
    known = set(COLUMNS)
    for name in sorted({h for h in header if header.count(h) > 1}):
        errors.append(LineError(1, name, "同じ列が2回以上あります。"))
    for name in header:
        if name not in known:
            errors.append(LineError(1, name or "(空の列名)", "この列は取込形式にありません。"))
    for name in COLUMNS:
        if name not in header:
            errors.append(LineError(1, name, "必要な列がありません。"))
    return errors


def _form(line: int, row: dict[str, str]) -> tuple[KeyedForm, list[LineError]]:
    errors = []
    form_id = row["form_id"]
    if not form_id:
        errors.append(LineError(line, "form_id", "書類番号が空です。"))
    elif len(form_id) > MAX_FORM_ID:
        errors.append(LineError(line, "form_id", f"書類番号は{MAX_FORM_ID}文字以内です。"))
    if row["scheme"] not in SCHEMES:
        errors.append(
            LineError(line, "scheme", f"共済の種類「{row['scheme']}」は shokibo か tosan です。")
        )
    confidences = {}
    for field in KEYED:
        column = f"{field}{CONFIDENCE_SUFFIX}"
        raw = row[column]
        if not raw.isascii() or not raw.isdigit() or int(raw) > 100:
            errors.append(LineError(line, column, f"確信度「{raw}」は0〜100の整数です。"))
            continue
        confidences[field] = int(raw)
    form = KeyedForm(
        line=line,
        form_id=form_id,
        scheme=row["scheme"],
        agency_code=row["agency_code"],
        industry_class=row["industry_class"],
        industry_detail=row["industry_detail"],
        values={field: row[field] for field in KEYED},
        confidences=confidences,
    )
    return form, errors
