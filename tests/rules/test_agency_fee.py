"""業務委託手数料 (rules/agency_fee.py): counts priced with the fee table in force on the month's
first day. Source: the operator's 業務委託契約, whose amounts are not published (令和6年度加入促進計画:
"令和５年度と同様であり変更はありません"), so the table is unconfirmed and the tests give their own."""

import datetime as dt
from pathlib import Path

import pytest

from kyosai.procedures.models import Procedure
from kyosai.rules.agency_fee import agency_fee, new_contract_item, procedure_item
from kyosai.rules.errors import RuleError
from kyosai.rules.params import ParameterSet, load_parameters

TABLE = """description: 手数料
reference: 業務委託契約
unit: table
columns: {item: text, label: text, fee_yen: yen}
labels: {item: 項目, label: 内容, fee_yen: 手数料}
values:
  2020-04-01:
    status: unconfirmed
    note: 仮の値
    value:
      - {item: "new_contract:tosan", label: "倒産防止 新規", fee_yen: 2000}
      - {item: "procedure:party_change", label: "住所変更", fee_yen: 100}
  2026-10-01:
    status: confirmed
    value:
      - {item: "new_contract:tosan", label: "倒産防止 新規", fee_yen: 2500}
      - {item: "procedure:party_change", label: "住所変更", fee_yen: 100}
"""


@pytest.fixture
def params(tmp_path: Path) -> ParameterSet:
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "agency_fee.yaml").write_text(TABLE, encoding="utf-8")
    return load_parameters(tmp_path)


def test_each_item_is_its_count_times_the_fee_in_force_on_the_first_of_the_month(
    params: ParameterSet,
) -> None:
    counts = {new_contract_item("tosan"): 3, procedure_item("party_change"): 2}
    september = agency_fee(counts, month=dt.date(2026, 9, 30), params=params)
    october = agency_fee(counts, month=dt.date(2026, 10, 15), params=params)

    assert [(x.label, x.amount_yen) for x in september.lines] == [
        ("倒産防止 新規", 6_000), ("住所変更", 200),
    ]  # fmt: skip
    assert (september.total_yen, october.total_yen) == (6_200, 7_700)
    assert september.trace.is_provisional and not october.trace.is_provisional
    assert "3件 × 2,000円" in september.trace.render()


def test_nothing_handled_is_no_fee_and_an_item_not_in_the_table_is_refused(
    params: ParameterSet,
) -> None:
    nothing = agency_fee({new_contract_item("tosan"): 0}, month=dt.date(2026, 5, 1), params=params)
    assert (nothing.total_yen, nothing.lines) == (0, ())
    with pytest.raises(RuleError):
        agency_fee({procedure_item("tsusan"): 1}, month=dt.date(2026, 5, 1), params=params)
    with pytest.raises(RuleError):
        agency_fee({new_contract_item("tosan"): -1}, month=dt.date(2026, 5, 1), params=params)


def test_the_shipped_table_prices_every_kind_the_portal_counts() -> None:
    items = [new_contract_item(s) for s in ("shokibo", "tosan")] + [
        procedure_item(k) for k in Procedure.Kind.values if k != "enrollment"
    ]
    fee = agency_fee(dict.fromkeys(items, 1), month=dt.date(2026, 4, 1))
    assert len(fee.lines) == len(items) and fee.total_yen > 0 and fee.trace.is_provisional
