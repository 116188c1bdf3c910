"""Effective-dated parameters: one YAML file per parameter, reviewed like code.

A file holds a description, the statute reference, its unit, an optional rounding mode and the
values keyed by the date each came into force (OpenFisca's layout, with exact types: yen are YAML
integers, rates are quoted strings read as Decimal, never floats). A value whose fact the
references do not confirm says so with `status: unconfirmed` (or `provisional` for a filled-in
table) and a `note`.

Tables (unit `bands` for "the row whose lower bound is the greatest not above x", `table` for an
exact key) declare their columns, label each in Japanese (`labels`, how a trace cites a row to its
reader; status columns are never cited) and give their rows inline or in a CSV file beside the YAML.

    values:
      2017-11-01:
        value: "0.0009"
        status: confirmed
        source: https://...

`ParameterSet.get(name).at(on)` returns the value in force on a date. Loading validates strictly
and every error names the file and the key.
"""

import csv
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from kyosai.rules.errors import ParameterFileError, RuleError
from kyosai.rules.money import Rounding

PARAMETERS_DIR = Path(__file__).parent / "parameters"

E = TypeVar("E", bound=StrEnum)
# libyaml's safe loader when PyYAML was built with it: the same documents, parsed several times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Unit(StrEnum):
    YEN = "yen"
    RATE = "rate"
    MONTHS = "months"
    DAYS = "days"
    DAY_OF_MONTH = "day_of_month"
    COUNT = "count"
    DATE = "date"
    BANDS = "bands"
    TABLE = "table"


class ColumnType(StrEnum):
    YEN = "yen"
    RATE = "rate"
    MONTHS = "months"
    COUNT = "count"
    TEXT = "text"
    STATUS = "status"


class Status(StrEnum):
    CONFIRMED = "confirmed"  # stated in the cited source
    UNCONFIRMED = "unconfirmed"  # best-known value, not stated in any source read
    PROVISIONAL = (
        "provisional"  # filled in by a documented method until the official data is loaded
    )


Cell = int | Decimal | str


@dataclass(frozen=True)
class Row:
    """One row of a table; typed accessors keep callers free of casts."""

    cells: Mapping[str, Cell]

    def yen(self, column: str) -> int:
        return cast(int, self.cells[column])

    def count(self, column: str) -> int:
        return cast(int, self.cells[column])

    def rate(self, column: str) -> Decimal:
        return cast(Decimal, self.cells[column])

    def text(self, column: str) -> str:
        return cast(str, self.cells[column])


@dataclass(frozen=True)
class Table:
    """Rows sorted by their key column (the first declared column)."""

    key: str
    rows: tuple[Row, ...]
    is_bands: bool

    def lookup(self, key_value: int) -> Row:
        """The row for `key_value`: for bands, the last row whose bound is not above it."""
        found: Row | None = None
        for row in self.rows:
            bound = row.count(self.key)
            if bound == key_value or (self.is_bands and bound < key_value):
                found = row
            if bound >= key_value:
                break
        if found is None:
            raise RuleError(
                f"表の範囲外です（{self.key}={key_value}）",
                f"{self.key}={key_value} is outside the table",
            )
        return found

    def select(self, column: str, value: str) -> Row:
        """The first row whose text column equals `value`."""
        for row in self.rows:
            if row.cells.get(column) == value:
                return row
        raise RuleError(f"表に {value} がありません", f"no row with {column}={value}")


Value = int | Decimal | dt.date | Table


@dataclass(frozen=True)
class DatedValue:
    valid_from: dt.date
    value: Value
    status: Status
    note: str
    source: str


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    reference: str
    unit: Unit
    rounding: Rounding | None
    values: tuple[DatedValue, ...]  # ascending by valid_from
    labels: Mapping[str, str]  # a table's columns in Japanese, for its reader; empty otherwise

    def at(self, on: dt.date) -> DatedValue:
        """The value in force on `on`: the latest whose valid_from is not after it."""
        in_force = [v for v in self.values if v.valid_from <= on]
        if not in_force:
            raise RuleError(
                f"{on.isoformat()} 時点の「{self.description}」は定められていません",
                f"parameter {self.name} has no value in force on {on.isoformat()}",
            )
        return in_force[-1]

    def whole_at(self, on: dt.date) -> int:
        """The whole number in force on `on`, for untraced plumbing such as debit days."""
        value = self.at(on).value
        if not isinstance(value, int):
            raise TypeError(f"parameter {self.name} is not a whole number")
        return value


class ParameterSet(Mapping[str, Parameter]):
    """All parameters, by name (the file's path under the root, without `.yaml`)."""

    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        self._parameters = dict(parameters)

    def __getitem__(self, name: str) -> Parameter:
        return self._parameters[name]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._parameters))

    def __len__(self) -> int:
        return len(self._parameters)

    def in_force(self, prefix: str, on: dt.date) -> list[tuple[Parameter, DatedValue]]:
        """Every parameter whose name starts with `prefix` and has a value on `on`, by name."""
        return [
            (parameter, parameter.at(on))
            for name, parameter in sorted(self._parameters.items())
            if name.startswith(prefix) and parameter.values[0].valid_from <= on
        ]


_TOP_KEYS = {"description", "reference", "unit", "rounding", "columns", "labels", "values"}
_VALUE_KEYS = {"value", "status", "note", "source"}


def load_parameters(root: Path = PARAMETERS_DIR) -> ParameterSet:
    """Load and validate every `*.yaml` under `root`."""
    parameters = {}
    for path in sorted(root.rglob("*.yaml")):
        name = path.relative_to(root).with_suffix("").as_posix()
        parameters[name] = load_parameter_file(path, name)
    return ParameterSet(parameters)


@cache
def default_parameters() -> ParameterSet:
    """The parameters shipped with the code, loaded once per process."""
    return load_parameters()


def load_parameter_file(path: Path, name: str) -> Parameter:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        document = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise ParameterFileError(where, "(file)", f"not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise ParameterFileError(where, "(file)", "must be a mapping of description, unit, values…")
    unknown = set(document) - _TOP_KEYS
    if unknown:
        raise ParameterFileError(where, ", ".join(sorted(map(str, unknown))), "unknown key")
    description = _required_text(document, "description", where)
    reference = _required_text(document, "reference", where)
    unit = _enum(Unit, document.get("unit"), "unit", where)
    rounding = (
        None
        if document.get("rounding") is None
        else _enum(Rounding, document["rounding"], "rounding", where)
    )
    columns = _columns(document.get("columns"), unit, where)
    labels = _labels(document.get("labels"), columns, where)
    raw_values = document.get("values")
    if not isinstance(raw_values, dict) or not raw_values:
        raise ParameterFileError(where, "values", "must map dates (YYYY-MM-DD) to entries")
    values = []
    for valid_from, entry in raw_values.items():
        key = f"values.{valid_from}"
        if not isinstance(valid_from, dt.date) or isinstance(valid_from, dt.datetime):
            raise ParameterFileError(where, key, "the key must be a date written YYYY-MM-DD")
        values.append(_dated_value(valid_from, entry, unit, columns, path, key))
    dates = [v.valid_from for v in values]
    if dates != sorted(dates):
        raise ParameterFileError(where, "values", "dates must be in ascending order")
    return Parameter(name, description, reference, unit, rounding, tuple(values), labels)


def _required_text(document: Mapping[str, Any], key: str, where: str) -> str:
    text = document.get(key)
    if not isinstance(text, str) or not text.strip():
        raise ParameterFileError(where, key, "required text is missing")
    return text.strip()


def _enum(enum: type[E], raw: object, key: str, where: str) -> E:
    try:
        return enum(str(raw))
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise ParameterFileError(where, key, f"{raw!r} is not one of: {allowed}") from None


def _columns(raw: object, unit: Unit, where: str) -> dict[str, ColumnType]:
    is_table = unit in (Unit.BANDS, Unit.TABLE)
    if raw is None and not is_table:
        return {}
    if not is_table:
        raise ParameterFileError(where, "columns", f"only tables have columns, not unit {unit}")
    if not isinstance(raw, dict) or not raw:
        raise ParameterFileError(where, "columns", "a table must declare its columns")
    columns = {
        str(column): _enum(ColumnType, kind, f"columns.{column}", where)
        for column, kind in raw.items()
    }
    first_kind = next(iter(columns.values()))
    if first_kind not in (ColumnType.MONTHS, ColumnType.COUNT, ColumnType.YEN, ColumnType.TEXT):
        raise ParameterFileError(where, "columns", "the first (key) column must be whole numbers")
    return columns


def _labels(raw: object, columns: Mapping[str, ColumnType], where: str) -> dict[str, str]:
    cited = [c for c, kind in columns.items() if kind != ColumnType.STATUS]
    if raw is None and not cited:
        return {}
    if not isinstance(raw, dict) or set(raw) != set(cited):
        raise ParameterFileError(
            where, "labels", f"label exactly these columns in Japanese: {', '.join(cited)}"
        )
    labels = {str(column): str(label or "").strip() for column, label in raw.items()}
    if unlabelled := [column for column, label in labels.items() if not label]:
        raise ParameterFileError(where, f"labels.{unlabelled[0]}", "required text is missing")
    return labels


def _dated_value(
    valid_from: dt.date,
    entry: object,
    unit: Unit,
    columns: Mapping[str, ColumnType],
    path: Path,
    key: str,
) -> DatedValue:
    where = str(path)
    if not isinstance(entry, dict):
        raise ParameterFileError(where, key, "must be a mapping with value and status")
    unknown = set(entry) - _VALUE_KEYS
    if unknown:
        raise ParameterFileError(where, f"{key}.{sorted(unknown)[0]}", "unknown key")
    status = _enum(Status, entry.get("status"), f"{key}.status", where)
    note = str(entry.get("note") or "").strip()
    if status != Status.CONFIRMED and not note:
        raise ParameterFileError(where, f"{key}.note", f"a {status} value must say why in a note")
    source = str(entry.get("source") or "").strip()
    if "value" not in entry:
        raise ParameterFileError(where, f"{key}.value", "missing")
    value = _value(entry["value"], unit, columns, path, f"{key}.value")
    return DatedValue(valid_from, value, status, note, source)


def _value(
    raw: object, unit: Unit, columns: Mapping[str, ColumnType], path: Path, key: str
) -> Value:
    where = str(path)
    if unit in (Unit.BANDS, Unit.TABLE):
        return _table(raw, unit, columns, path, key)
    if unit == Unit.RATE:
        return _rate(raw, where, key)
    if unit == Unit.DATE:
        if not isinstance(raw, dt.date):
            raise ParameterFileError(where, key, "must be a date written YYYY-MM-DD")
        return raw
    return _whole(raw, where, key)


def _whole(raw: object, where: str, key: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ParameterFileError(where, key, f"must be a whole number, got {raw!r}")
    if raw < 0:
        raise ParameterFileError(where, key, f"must not be negative, got {raw}")
    return raw


def _rate(raw: object, where: str, key: str) -> Decimal:
    if not isinstance(raw, str):
        raise ParameterFileError(
            where, key, f"a rate must be a quoted string such as '0.95' (got {raw!r})"
        )
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        raise ParameterFileError(where, key, f"{raw!r} is not a decimal number") from None
    if not rate.is_finite() or rate < 0:
        raise ParameterFileError(where, key, f"{raw!r} is not a non-negative rate")
    return rate


def _table(
    raw: object, unit: Unit, columns: Mapping[str, ColumnType], path: Path, key: str
) -> Table:
    where = str(path)
    if isinstance(raw, dict) and set(raw) == {"file"}:
        csv_path = path.parent / str(raw["file"])
        if not csv_path.is_file():
            raise ParameterFileError(where, key, f"table file {raw['file']} not found")
        with csv_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if list(reader.fieldnames or []) != list(columns):
                raise ParameterFileError(
                    str(csv_path), "header", f"columns must be exactly {','.join(columns)}"
                )
            raw_rows: list[object] = list(reader)
        where, key_prefix, from_csv = str(csv_path), "line", True
    elif isinstance(raw, list) and raw:
        raw_rows, key_prefix, from_csv = raw, f"{key}[", False
    else:
        raise ParameterFileError(where, key, "a table is a list of rows or {file: name.csv}")
    rows = []
    for index, raw_row in enumerate(raw_rows):
        row_key = f"line {index + 2}" if from_csv else f"{key_prefix}{index}]"
        rows.append(_row(raw_row, columns, from_csv, where, row_key))
    key_column = next(iter(columns))
    keys = [row.cells[key_column] for row in rows]
    if columns[key_column] != ColumnType.TEXT and keys != sorted(set(keys), key=lambda k: k):
        raise ParameterFileError(where, key_column, "rows must be in strictly ascending order")
    return Table(key_column, tuple(rows), is_bands=unit == Unit.BANDS)


def _row(
    raw: object, columns: Mapping[str, ColumnType], from_csv: bool, where: str, key: str
) -> Row:
    if not isinstance(raw, dict) or set(raw) != set(columns):
        raise ParameterFileError(where, key, f"a row must have exactly: {', '.join(columns)}")
    cells: dict[str, Cell] = {}
    for column, kind in columns.items():
        cell_key = f"{key}.{column}"
        value = raw[column]
        if kind == ColumnType.RATE:
            cells[column] = _rate(value, where, cell_key)
        elif kind == ColumnType.TEXT:
            cells[column] = str(value)
        elif kind == ColumnType.STATUS:
            cells[column] = _enum(Status, value, cell_key, where).value
        else:
            if from_csv:
                if not str(value).isdigit():
                    raise ParameterFileError(where, cell_key, f"{value!r} is not a whole number")
                value = int(value)
            cells[column] = _whole(value, where, cell_key)
    return Row(cells)
