"""加入促進計画: reading a plan file, checking a plan whole, and replacing a fiscal year's plan.

The file is the layout of /work/shared/data/tosan_plan_r8_targets.csv — `scheme, fiscal_year,
dimension, key, target`, one target a line: every block (別表1) and every industry (別表2) with
their 合計, optionally the online share aimed at (`online_share_target`, 新規加入, 0.30) and
the year's モデル都道府県 (`model_prefecture`, a prefecture name, target optional). A file with
any bad line is refused whole, every problem named with its line; the staff form builds the same
lines and goes through the same checks.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from kyosai.core.audit import Actor, record
from kyosai.core.errors import ApplicationError
from kyosai.parties.models import Industry
from kyosai.reference.regions import PREFECTURES, block_of
from kyosai.reports.models import PlanTarget
from kyosai.rules.scheme import Scheme

Dimension = PlanTarget.Dimension
HEADER = ["scheme", "fiscal_year", "dimension", "key", "target"]
# The blocks in the order of the plan's 別表1 (and of reference/data/prefecture_blocks.csv).
BLOCKS = tuple(dict.fromkeys(block_of(code) for code, _ in PREFECTURES))
TOTAL_KEY = "合計"
SHARE_KEY = "新規加入"
PREFECTURE_NAME = dict(PREFECTURES)
_PREFECTURE_CODE = {name: code for code, name in PREFECTURES}
_INDUSTRY_BY_LABEL = {label: value for value, label in Industry.choices}


@dataclass(frozen=True)
class PlanLine:
    scheme: Scheme
    fiscal_year: int
    dimension: str  # a PlanTarget.Dimension value
    key: str  # as stored: block name, Industry value, 合計, 新規加入, prefecture code
    target: int | None
    share: Decimal | None = None
    line: int = 0  # in the file it came from (0: the form)


@dataclass(frozen=True)
class PlanProblem:
    line: int  # 1-based, the header being line 1; 0 for the form
    field: str
    message_ja: str

    def __str__(self) -> str:
        where = f"{self.line}行目 " if self.line else ""
        return f"{where}{self.field}: {self.message_ja}"


class PlanError(ApplicationError):
    """A plan refused whole; `problems` names every bad line."""

    def __init__(self, problems: list[PlanProblem]) -> None:
        super().__init__("加入促進計画を取り込めません:\n" + "\n".join(map(str, problems)))
        self.problems = problems


def key_label(dimension: str, key: str) -> str:
    """The key as people read it: 建設業 for construction, 東京都 for 13."""
    if dimension == Dimension.INDUSTRY:
        return str(Industry(key).label)
    if dimension == Dimension.MODEL_PREFECTURE:
        return PREFECTURE_NAME[key]
    return key


def read_plan_file(data: bytes) -> list[PlanLine]:
    """The lines of a plan file (UTF-8, a BOM allowed), checked whole; PlanError otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlanError([PlanProblem(1, "ファイル", "文字コードはUTF-8にしてください")]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [cell.strip() for cell in rows[0]] != HEADER:
        raise PlanError([PlanProblem(1, "見出し", f"1行目は {','.join(HEADER)} にしてください")])
    lines, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as spreadsheets leave at the end
        if len(row) != len(HEADER):
            problems.append(
                PlanProblem(
                    number,
                    "列",
                    f"列の数が{len(HEADER)}ではありません（件数に桁区切りのカンマは入れません）",
                )
            )
            continue
        line = _parse(number, dict(zip(HEADER, (cell.strip() for cell in row), strict=True)))
        if isinstance(line, PlanProblem):
            problems.append(line)
        else:
            lines.append(line)
    if not lines and not problems:
        problems.append(PlanProblem(2, "ファイル", "目標の行がありません"))
    problems += check_plan(lines)
    if problems:
        raise PlanError(sorted(problems, key=lambda p: p.line))
    return lines


def _parse(number: int, cells: dict[str, str]) -> PlanLine | PlanProblem:
    try:
        scheme = Scheme(cells["scheme"])
    except ValueError:
        return PlanProblem(number, "scheme", "制度は shokibo か tosan です")
    if not (cells["fiscal_year"].isascii() and cells["fiscal_year"].isdigit()) or not (
        2000 <= int(cells["fiscal_year"]) <= 2100
    ):
        return PlanProblem(number, "fiscal_year", "年度は西暦の4桁（令和8年度なら2026）です")
    fiscal_year = int(cells["fiscal_year"])
    dimension, key, target_text = cells["dimension"], cells["key"], cells["target"]
    if dimension == Dimension.ONLINE_SHARE:
        if key != SHARE_KEY:
            return PlanProblem(number, "key", f"オンライン割合の key は {SHARE_KEY} です")
        try:
            share = Decimal(target_text)
        except InvalidOperation:
            share = Decimal(-1)
        if (
            not share.is_finite()
            or not 0 <= share <= 1
            or share != share.quantize(Decimal("0.0001"))
        ):
            return PlanProblem(number, "target", "割合は0から1までの小数（30%なら0.30）です")
        return PlanLine(scheme, fiscal_year, dimension, key, None, share, number)
    stored_key = _stored_key(dimension, key)
    if isinstance(stored_key, PlanProblem):
        return PlanProblem(number, stored_key.field, stored_key.message_ja)
    if target_text == "" and dimension == Dimension.MODEL_PREFECTURE:
        return PlanLine(scheme, fiscal_year, dimension, stored_key, None, None, number)
    if not (target_text.isascii() and target_text.isdigit()):
        return PlanProblem(number, "target", "目標件数は0以上の整数（カンマなし）です")
    return PlanLine(scheme, fiscal_year, dimension, stored_key, int(target_text), None, number)


def _stored_key(dimension: str, key: str) -> str | PlanProblem:
    if dimension == Dimension.BLOCK:
        return key if key in BLOCKS else PlanProblem(0, "key", f"ブロック「{key}」はありません")
    if dimension == Dimension.INDUSTRY:
        if key in _INDUSTRY_BY_LABEL:
            return _INDUSTRY_BY_LABEL[key]
        return PlanProblem(0, "key", f"業種「{key}」はありません（{'・'.join(Industry.labels)}）")
    if dimension == Dimension.TOTAL:
        return key if key == TOTAL_KEY else PlanProblem(0, "key", f"合計の key は {TOTAL_KEY} です")
    if dimension == Dimension.MODEL_PREFECTURE:
        if key in _PREFECTURE_CODE:
            return _PREFECTURE_CODE[key]
        return PlanProblem(0, "key", f"都道府県「{key}」はありません（東京都のように書きます）")
    return PlanProblem(0, "dimension", f"dimension は {'・'.join(Dimension.values)} のどれかです")


def check_plan(lines: list[PlanLine]) -> list[PlanProblem]:
    """Each (scheme, 年度) plan whole: no key twice, every block and every industry with a target,
    and both summing to the 合計 (別表1 and 別表2 each add up to the plan's total)."""
    problems = []
    plans: dict[tuple[Scheme, int], list[PlanLine]] = defaultdict(list)
    for line in lines:
        plans[line.scheme, line.fiscal_year].append(line)
    for (scheme, year), plan in plans.items():
        first = plan[0].line
        seen: dict[tuple[str, str], int] = {}
        for line in plan:
            if (line.dimension, line.key) in seen:
                problems.append(PlanProblem(line.line, "key",
                    f"{key_label(line.dimension, line.key)} は"
                    f"{seen[line.dimension, line.key]}行目と重複しています"))  # fmt: skip
            seen.setdefault((line.dimension, line.key), line.line)
        totals = [line for line in plan if line.dimension == Dimension.TOTAL]
        if not totals:
            problems.append(
                PlanProblem(first, "dimension", f"{scheme} {year}年度の合計の行がありません")
            )
            continue
        total = totals[0]
        for dimension, keys, name in (
            (Dimension.BLOCK, BLOCKS, "地域（ブロック）別"),
            (Dimension.INDUSTRY, tuple(Industry.values), "業種別"),
        ):
            targets = {line.key: line.target or 0 for line in plan if line.dimension == dimension}
            missing = [key_label(dimension, key) for key in keys if key not in targets]
            if missing:
                problems.append(PlanProblem(total.line, "key",
                    f"{year}年度の{name}目標に {'・'.join(missing)} がありません"))  # fmt: skip
            elif sum(targets.values()) != total.target:
                problems.append(PlanProblem(total.line, "target",
                    f"{year}年度の{name}目標の計 {sum(targets.values()):,}件が"
                    f"合計 {total.target or 0:,}件と一致しません"))  # fmt: skip
    return problems


def do_replace_plans(
    lines: list[PlanLine], *, source: str, acting_user: Actor | None
) -> list[tuple[Scheme, int]]:
    """Replace the plan of every (scheme, 年度) the lines name with those lines, in one
    transaction, one audit row a plan with what it replaced; the same lines twice change
    nothing the second time but the audit. Returns the plans replaced."""
    problems = check_plan(lines)
    if problems:
        raise PlanError(problems)
    plans: dict[tuple[Scheme, int], list[PlanLine]] = defaultdict(list)
    for line in lines:
        plans[line.scheme, line.fiscal_year].append(line)
    with transaction.atomic():
        for (scheme, year), plan in plans.items():
            old = PlanTarget.objects.select_for_update().filter(scheme=scheme, fiscal_year=year)
            before = _snapshot(old)
            old.delete()
            stored = PlanTarget.objects.bulk_create(
                PlanTarget(scheme=scheme, fiscal_year=year, dimension=line.dimension,
                           key=line.key, target=line.target, share=line.share)
                for line in plan
            )  # fmt: skip
            total = next(t for t in stored if t.dimension == Dimension.TOTAL)
            record("plan.replace", total, actor=acting_user, scheme=scheme, fiscal_year=year,
                   source=source, before=before, after=_snapshot(stored))  # fmt: skip
    return list(plans)


def _snapshot(targets: Iterable[PlanTarget]) -> list[list[str]]:
    """A plan's lines as text, in one order, for the audit row."""
    return sorted(
        [t.dimension, t.key, "" if t.target is None else str(t.target),
         "" if t.share is None else f"{t.share:.4f}"]
        for t in targets
    )  # fmt: skip
