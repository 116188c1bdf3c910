"""Traces cite every parameter used; money helpers name their rounding."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from kyosai.rules.money import Rounding, floor_to_unit, rate_text, to_yen, yen_text
from kyosai.rules.params import Status, default_parameters, load_parameters
from kyosai.rules.trace import Explainer, describe


@pytest.mark.parametrize(
    ("amount", "rounding", "expected"),
    [
        (Decimal("16200.9"), Rounding.FLOOR, 16200),
        (Decimal("16200.5"), Rounding.HALF_UP, 16201),
        (Decimal("16200.4"), Rounding.HALF_UP, 16200),
        (Decimal("16200.1"), Rounding.CEILING, 16201),
    ],
)
def test_to_yen_uses_the_named_rounding(amount: Decimal, rounding: Rounding, expected: int) -> None:
    assert to_yen(amount, rounding) == expected


def test_text_helpers() -> None:
    assert floor_to_unit(1_824_000, 50_000) == 1_800_000
    assert yen_text(1_500_000) == "1,500,000円"
    assert rate_text(Decimal("0.95")) == "95%"
    assert rate_text(Decimal("0.0009")) == "0.09%"
    assert describe(True) == "はい"
    assert describe(dt.date(2026, 1, 2)) == "2026-01-02"
    assert describe(1234) == "1,234"


def test_explainer_cites_parameters_and_flags_unconfirmed_values() -> None:
    t = Explainer("テスト", {"月額": "50,000円"}, default_parameters())
    assert t.count("tosan/debit_day", dt.date(2026, 1, 1)) == 27
    row = t.row("tosan/refund_rate", dt.date(2026, 1, 1), 30)
    assert row.rate("voluntary") == Decimal("0.90")
    t.step("支給率", rate_text(row.rate("voluntary")), "30か月")
    trace = t.trace()
    assert [use.name for use in trace.parameters] == ["tosan/debit_day", "tosan/refund_rate"]
    assert not trace.is_provisional
    text = trace.render()
    assert "施行令 第4条" in text and "2011-10-01 から" in text and "1. 支給率: 90%" in text
    assert "出典: https://kyosai-web.smrj.go.jp/customer/tkyosai/cancellation/index.html" in text
    with pytest.raises(TypeError):
        t.rate("tosan/debit_day", dt.date(2026, 1, 1))
    with pytest.raises(TypeError):
        t.rounding("tosan/debit_day")
    with pytest.raises(TypeError):
        t.row("tosan/debit_day", dt.date(2026, 1, 1), 1)


def test_a_trace_that_used_an_unconfirmed_value_says_so() -> None:
    unconfirmed = [
        (name, p)
        for name, p in default_parameters().items()
        if any(v.status == Status.UNCONFIRMED for v in p.values) and p.unit.value == "rate"
    ]
    if not unconfirmed:
        pytest.skip("no unconfirmed rate shipped yet")
    name, parameter = unconfirmed[0]
    dated = next(v for v in parameter.values if v.status == Status.UNCONFIRMED)
    t = Explainer("テスト", {}, default_parameters())
    t.rate(name, dated.valid_from)
    trace = t.trace()
    assert trace.is_provisional
    assert "未確認" in trace.render()


def test_a_row_cites_each_cell_used_with_its_own_status(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "description: 表\nreference: 別表\nunit: table\n"
        "columns: {months: months, a_yen: yen, a_status: status, b_yen: yen, b_status: status}\n"
        "labels: {months: 掛金納付月数, a_yen: 共済金A（円）, b_yen: 共済金B（円）}\n"
        "values:\n  2004-04-01:\n    status: confirmed\n    value: {file: t.csv}\n",
        encoding="utf-8",
    )
    (tmp_path / "t.csv").write_text(
        "months,a_yen,a_status,b_yen,b_status\n"
        "60,31070,confirmed,30730,provisional\n"
        "61,31600,provisional,31200,provisional\n"
    )
    t = Explainer("テスト", {}, load_parameters(tmp_path))
    assert t.row("t", dt.date(2026, 1, 1), 60, column="a_yen").yen("a_yen") == 31070
    assert not t.trace().is_provisional  # the provisional B cell of that row was not used
    t.row("t", dt.date(2026, 1, 1), 61, column="a_yen")
    trace = t.trace()
    assert [use.value for use in trace.parameters] == [
        "掛金納付月数 60、共済金A（円） 31,070",
        "掛金納付月数 61、共済金A（円） 31,600",
    ]
    assert trace.is_provisional and "暫定" in trace.render()
    whole_row = Explainer("テスト", {}, load_parameters(tmp_path))
    whole_row.row("t", dt.date(2026, 1, 1), 60)
    assert whole_row.trace().is_provisional  # without a column, every cell counts
