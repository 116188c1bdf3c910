"""Explanations: every calculation returns its amount with a `Trace`.

A trace lists the inputs, each step with its arithmetic, and every parameter used with the date it
came into force, its statute reference and whether the value is confirmed. Members, staff and a
later audit all read the same trace. Rules build it with an `Explainer`, which is also how they
read parameters, so a parameter cannot be used without being cited.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field
from decimal import Decimal
from typing import TypeVar

from kyosai.rules.money import Rounding, rate_text
from kyosai.rules.params import (
    DatedValue,
    Parameter,
    ParameterSet,
    Row,
    Status,
    Table,
    Unit,
    Value,
    default_parameters,
)

T = TypeVar("T")

_STATUS_LABEL = {
    Status.CONFIRMED: "確認済",
    Status.UNCONFIRMED: "未確認",
    Status.PROVISIONAL: "暫定",
}


@dataclass(frozen=True)
class ParameterUse:
    name: str
    description: str
    reference: str
    valid_from: dt.date
    value: str
    status: Status
    note: str
    source: str


@dataclass(frozen=True)
class Step:
    label: str
    value: str
    how: str = ""


@dataclass(frozen=True)
class Trace:
    title: str
    inputs: tuple[tuple[str, str], ...]
    steps: tuple[Step, ...]
    parameters: tuple[ParameterUse, ...]
    warnings: tuple[str, ...]

    @property
    def is_provisional(self) -> bool:
        """True when any value used is not confirmed: the quote must say so to its reader."""
        return any(use.status != Status.CONFIRMED for use in self.parameters)

    def render(self) -> str:
        lines = [f"■ {self.title}", "入力:"]
        lines += [f"  {label}: {value}" for label, value in self.inputs]
        lines.append("計算:")
        for number, step in enumerate(self.steps, start=1):
            how = f"  ← {step.how}" if step.how else ""
            lines.append(f"  {number}. {step.label}: {step.value}{how}")
        lines.append("使用したパラメータ:")
        noted = set()
        for use in self.parameters:
            lines.append(
                f"  - {use.description} = {use.value}"
                f"（{use.valid_from.isoformat()} から／{use.reference}）[{_STATUS_LABEL[use.status]}]"
            )
            if (use.name, use.valid_from) not in noted:
                noted.add((use.name, use.valid_from))
                if use.source:
                    lines.append(f"      出典: {use.source}")
                if use.note:
                    lines.append(f"      注: {use.note}")
        if self.warnings:
            lines.append("注意:")
            lines += [f"  ! {warning}" for warning in self.warnings]
        return "\n".join(lines)


class Traced:
    """A quote made of several traces (a benefit and its receipt, a loan's limit and schedule):
    what the member is warned of, and the whole explanation as one text."""

    traces: tuple[Trace, ...]

    @property
    def provisional(self) -> bool:
        return any(trace.is_provisional for trace in self.traces)

    @property
    def warnings(self) -> list[str]:
        return list(dict.fromkeys(w for trace in self.traces for w in trace.warnings))

    def trace_text(self) -> str:
        return "\n\n".join(trace.render() for trace in self.traces)


def describe(value: object) -> str:
    """A value as a person reads it: yen with commas, rates in percent, dates in ISO."""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return rate_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Table):
        return f"表（{len(value.rows)}行）"
    return str(value)


def _is_status(column: str) -> bool:
    return column == "status" or column.endswith("_status")


def _status_of(column: str) -> str:
    """The status column qualifying `column`: `a_yen` → `a_status`; a plain `status` otherwise."""
    return f"{column.rsplit('_', 1)[0]}_status" if "_" in column else "status"


def value_text(parameter: Parameter, value: Value) -> str:
    """A parameter's value with its unit: 5,000円, 36か月, 毎月27日, 0.09%, 表（805行）."""
    if isinstance(value, int):
        suffix = {
            Unit.YEN: "円",
            Unit.MONTHS: "か月",
            Unit.DAYS: "日",
        }.get(parameter.unit, "")
        return f"毎月{value}日" if parameter.unit == Unit.DAY_OF_MONTH else f"{value:,}{suffix}"
    return describe(value)


@dataclass
class Explainer:
    """Collects a trace while a rule computes. Parameters are read only through it."""

    title: str
    inputs: Mapping[str, object]
    parameter_set: InitVar[ParameterSet | None] = None  # None: the parameters shipped with the code
    params: ParameterSet = field(init=False)
    _steps: list[Step] = field(default_factory=list)
    _uses: dict[tuple[str, dt.date, str], ParameterUse] = field(default_factory=dict)
    _warnings: list[str] = field(default_factory=list)

    def __post_init__(self, parameter_set: ParameterSet | None) -> None:
        self.params = parameter_set or default_parameters()

    def _use(self, name: str, on: dt.date) -> DatedValue:
        parameter = self.params[name]
        dated = parameter.at(on)
        self._cite(parameter, dated, value_text(parameter, dated.value), dated.status)
        return dated

    def _cite(self, parameter: Parameter, dated: DatedValue, value: str, status: Status) -> None:
        # Keyed by the value too, so that every row of a table used in one quote is cited.
        self._uses[(parameter.name, dated.valid_from, value)] = ParameterUse(
            parameter.name,
            parameter.description,
            parameter.reference,
            dated.valid_from,
            value,
            status,
            dated.note,
            dated.source,
        )

    def _typed(self, name: str, on: dt.date, kind: type[T]) -> T:
        value: Value = self._use(name, on).value
        if not isinstance(value, kind):
            raise TypeError(f"parameter {name} is {type(value).__name__}, not {kind.__name__}")
        return value

    def yen(self, name: str, on: dt.date) -> int:
        return self._typed(name, on, int)

    def count(self, name: str, on: dt.date) -> int:
        """Months, days, a day of the month or any other whole number."""
        return self._typed(name, on, int)

    def rate(self, name: str, on: dt.date) -> Decimal:
        return self._typed(name, on, Decimal)

    def date(self, name: str, on: dt.date) -> dt.date:
        return self._typed(name, on, dt.date)

    def rounding(self, name: str) -> Rounding:
        rounding = self.params[name].rounding
        if rounding is None:
            raise TypeError(f"parameter {name} names no rounding mode")
        return rounding

    def row(self, name: str, on: dt.date, key_value: int, column: str | None = None) -> Row:
        """The row of a table in force on `on` for `key_value`, cited with the row itself.

        With `column`, only that cell is cited and only its own status counts: a status column
        `X_status` qualifies the column `X` or `X_<unit>` beside it (e.g. `a_status` → `a_yen`).
        """
        parameter, dated, table = self._table(name, on)
        row = table.lookup(key_value)
        self._cite_row(parameter, dated, table, row, column)
        return row

    def row_where(self, name: str, on: dt.date, column: str, value: str) -> Row:
        """The first row of a table whose text `column` equals `value`, cited."""
        parameter, dated, table = self._table(name, on)
        row = table.select(column, value)
        self._cite_row(parameter, dated, table, row, None)
        return row

    def _table(self, name: str, on: dt.date) -> tuple[Parameter, DatedValue, Table]:
        parameter = self.params[name]
        dated = parameter.at(on)
        if not isinstance(dated.value, Table):
            raise TypeError(f"parameter {name} is not a table")
        return parameter, dated, dated.value

    def _cite_row(
        self, parameter: Parameter, dated: DatedValue, table: Table, row: Row, column: str | None
    ) -> None:
        cited = [table.key, column] if column else [k for k in row.cells if not _is_status(k)]
        statuses = {
            Status(str(v))
            for k, v in row.cells.items()
            if _is_status(k) and (column is None or k in (f"{column}_status", _status_of(column)))
        }
        status = Status.PROVISIONAL if Status.PROVISIONAL in statuses else dated.status
        text = "、".join(f"{parameter.labels[k]} {describe(row.cells[k])}" for k in cited)
        self._cite(parameter, dated, text, status)

    def step(self, label: str, value: str, how: str = "") -> None:
        """Record one step; `value` is already formatted (`yen_text`, `rate_text`, …)."""
        self._steps.append(Step(label, value, how))

    def warn(self, text: str) -> None:
        self._warnings.append(text)

    def trace(self) -> Trace:
        uses = tuple(self._uses.values())
        warnings = list(self._warnings)
        if any(use.status != Status.CONFIRMED for use in uses):
            warnings.append(
                "未確認または暫定の値を使っています。正式な値の確認後に金額が変わることがあります。"
            )
        return Trace(
            self.title,
            tuple((label, describe(value)) for label, value in self.inputs.items()),
            tuple(self._steps),
            uses,
            tuple(warnings),
        )
