"""The provisional 施行令 別表第一 CSV: reproducible, anchors exact, each column non-decreasing."""

import csv
import importlib.util
from pathlib import Path
from types import ModuleType

from kyosai.rules.params import Table, default_parameters

ROOT = Path(__file__).resolve().parents[3]
CSV_PATH = ROOT / "src/kyosai/rules/parameters/shokibo/benefit_table.csv"
# shokibo_rules.md §3.3: the 10,000円/月 anchor table ÷ 20.
ANCHORS = {
    60: (31_070, 30_730),
    120: (64_530, 63_040),
    180: (100_550, 97_020),
    240: (139_320, 132_940),
    360: (217_400, 210_590),
}


def _generator() -> ModuleType:
    path = ROOT / "tools/build_provisional_benefit_table.py"
    spec = importlib.util.spec_from_file_location("build_provisional_benefit_table", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_generator_reproduces_committed_csv_byte_for_byte() -> None:
    assert _generator().render() == CSV_PATH.read_text(encoding="utf-8")


def test_anchors_are_exact_and_the_only_confirmed_cells() -> None:
    rows = {int(row["months"]): row for row in _rows()}
    for months, (a, b) in ANCHORS.items():
        row = rows[months]
        assert (int(row["a_yen"]), int(row["b_yen"])) == (a, b)
        assert row["a_status"] == row["b_status"] == "confirmed"
    confirmed = {m for m, row in rows.items() if "confirmed" in row.values()}
    assert confirmed == set(ANCHORS)
    assert all(row["quasi_status"] == "provisional" for row in rows.values())


def test_rows_cover_36_to_840_and_never_fall() -> None:
    rows = _rows()
    assert [int(row["months"]) for row in rows] == list(range(36, 841))
    for column in ("a_yen", "b_yen", "quasi_yen"):
        amounts = [int(row[column]) for row in rows]
        assert amounts == sorted(amounts), column
    # A meets B by 35 years (secondary source) and 36 months pays more than 35 months' premiums.
    assert all(row["a_yen"] == row["b_yen"] for row in rows if int(row["months"]) >= 420)
    assert int(rows[0]["b_yen"]) >= 500 * 35


def test_csv_loads_through_its_parameter_file() -> None:
    table = default_parameters()["shokibo/benefit_table"].values[-1].value
    assert isinstance(table, Table)
    assert len(table.rows) == 805
