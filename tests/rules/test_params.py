"""The parameter loader: strict validation naming file and key, and `at(date)`."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from kyosai.rules.errors import ParameterFileError, RuleError
from kyosai.rules.params import Status, Table, default_parameters, load_parameters

GOOD = """\
description: 一時貸付金の利率
reference: 業務方法書
unit: rate
rounding: floor
values:
  2009-04-23:
    value: "0.005"
    status: confirmed
  2011-04-01:
    value: "0.009"
    status: unconfirmed
    note: 2024年以降の改定は未確認
"""


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_at_returns_the_value_in_force_on_each_side_of_a_change(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "rate.yaml")
    parameter = load_parameters(tmp_path)["rate"]
    assert parameter.at(dt.date(2011, 3, 31)).value == Decimal("0.005")
    in_force = parameter.at(dt.date(2011, 4, 1))
    assert (in_force.value, in_force.status) == (Decimal("0.009"), Status.UNCONFIRMED)
    with pytest.raises(RuleError, match="2009-04-22"):
        parameter.at(dt.date(2009, 4, 22))


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("description: x\nreference: y\nunit: yen\n", "values", "must map dates"),
        (GOOD.replace('"0.005"', "0.005"), "values.2009-04-23.value", "quoted string"),
        (GOOD.replace('"0.005"', '"abc"'), "values.2009-04-23.value", "not a decimal"),
        (GOOD.replace("unit: rate", "unit: percent"), "unit", "not one of"),
        (GOOD.replace("rounding: floor", "rounding: bankers"), "rounding", "not one of"),
        (GOOD.replace("description: 一時貸付金の利率\n", ""), "description", "missing"),
        (GOOD.replace("    note: 2024年以降の改定は未確認\n", ""), "note", "must say why"),
        (GOOD.replace("status: confirmed", "status: maybe"), "status", "not one of"),
        (GOOD.replace("2011-04-01:", "2008-04-01:"), "values", "ascending"),
        (GOOD.replace("2011-04-01:", "'April 2011':"), "values.April 2011", "YYYY-MM-DD"),
        (GOOD + "extra: 1\n", "extra", "unknown key"),
        (
            GOOD.replace("    status: confirmed\n", "    status: confirmed\n    colour: red\n"),
            "colour",
            "unknown key",
        ),
        ("values: [1\n", "(file)", "not valid YAML"),
        ("- 1\n", "(file)", "must be a mapping"),
        (
            GOOD.replace("  2009-04-23:\n    value", "  2009-04-23: 5\n  2009-05-01:\n    value"),
            "values.2009-04-23",
            "must be a mapping",
        ),
        (GOOD.replace('    value: "0.005"\n', ""), "value", "missing"),
    ],
)
def test_a_bad_file_is_rejected_naming_file_and_key(
    tmp_path: Path, text: str, key: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ParameterFileError, match=message) as error:
        load_parameters(tmp_path)
    assert str(path) in str(error.value)
    assert key in error.value.key


BANDS = """\
description: 支給率
reference: 施行令第4条
unit: bands
columns: {months: months, rate: rate}
labels: {months: 掛金納付月数, rate: 支給率}
values:
  2011-10-01:
    status: confirmed
    value:
      - {months: 0, rate: "0"}
      - {months: 12, rate: "0.80"}
"""


def test_bands_pick_the_last_row_whose_bound_is_not_above(tmp_path: Path) -> None:
    write(tmp_path, BANDS)
    table = load_parameters(tmp_path)["p"].at(dt.date(2012, 1, 1)).value
    assert isinstance(table, Table)
    assert table.lookup(11).rate("rate") == Decimal("0")
    assert table.lookup(12).rate("rate") == Decimal("0.80")
    assert table.lookup(500).rate("rate") == Decimal("0.80")


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        (BANDS.replace("columns: {months: months, rate: rate}\n", ""), "columns", "must declare"),
        (BANDS.replace("months: months,", "months: weeks,"), "columns.months", "not one of"),
        (BANDS.replace("months: months,", "months: rate,"), "columns", "first .key. column"),
        (BANDS.replace("{months: 12,", "{months: -12,"), "[1].months", "negative"),
        (BANDS.replace("{months: 12,", "{months: 0,"), "months", "ascending"),
        (BANDS.replace(', rate: "0.80"}', "}"), "[1]", "exactly"),
        (BANDS.replace("    value:\n", "    value: 3\n    x:\n"), "x", "unknown key"),
        (BANDS.replace("unit: bands", "unit: yen"), "columns", "only tables"),
        (BANDS.replace("labels: {months: 掛金納付月数, rate: 支給率}\n", ""), "labels", "Japanese"),
        (BANDS.replace("rate: 支給率}", "rate: ''}"), "labels.rate", "required text"),
        (
            BANDS.replace('{months: 12, rate: "0.80"}', '{months: "12", rate: "0.80"}'),
            "[1].months",
            "whole number",
        ),
        (
            BANDS.replace(
                "    value:\n      - {months: 0", "    value: {rows: 1}\n      - {months: 0"
            )
            .split("      - {months: 12")[0]
            .replace('\n      - {months: 0, rate: "0"}', ""),
            "value",
            "list of rows",
        ),
    ],
)
def test_a_bad_table_is_rejected_naming_the_row(
    tmp_path: Path, text: str, key: str, message: str
) -> None:
    write(tmp_path, text)
    with pytest.raises(ParameterFileError, match=message) as error:
        load_parameters(tmp_path)
    assert key in error.value.key


def test_a_table_may_live_in_a_csv_file_checked_line_by_line(tmp_path: Path) -> None:
    text = BANDS.replace("unit: bands", "unit: table").split("    value:")[0]
    text += "    value: {file: rows.csv}\n"
    text = text.replace(
        "{months: months, rate: rate}", "{months: months, yen: yen, status: status}"
    ).replace("rate: 支給率}", "yen: 金額}")  # the status column is never cited, so never labelled
    write(tmp_path, text)
    (tmp_path / "rows.csv").write_text("months,yen,status\n36,100,confirmed\n60,200,provisional\n")
    table = load_parameters(tmp_path)["p"].at(dt.date(2012, 1, 1)).value
    assert isinstance(table, Table)
    assert table.lookup(60).yen("yen") == 200
    with pytest.raises(RuleError):
        table.lookup(59)  # an exact table has no row for 59
    (tmp_path / "rows.csv").write_text("months,yen,status\n36,1x0,confirmed\n")
    with pytest.raises(ParameterFileError, match="line 2") as error:
        load_parameters(tmp_path)
    assert str(tmp_path / "rows.csv") in str(error.value)
    (tmp_path / "rows.csv").write_text("months,amount,status\n")
    with pytest.raises(ParameterFileError, match="header"):
        load_parameters(tmp_path)
    (tmp_path / "rows.csv").unlink()
    with pytest.raises(ParameterFileError, match="not found"):
        load_parameters(tmp_path)


def test_every_shipped_parameter_file_loads_and_explains_itself() -> None:
    parameters = default_parameters()
    assert len(parameters) >= 4
    for name, parameter in parameters.items():
        assert parameter.reference, name
        for dated in parameter.values:
            assert dated.status == Status.CONFIRMED or dated.note, name
