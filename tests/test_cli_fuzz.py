"""Whatever numbers and dates a person types, a quote answers or refuses in one line: never a traceback."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyosai.cli import main

# {n} is a whole number, {d} a date, {m} a month; each quote kind with its required arguments.
TEMPLATES = [
    "tosan-refund --monthly {n} --months {n} --on {d}",
    "tosan-loan --monthly {n} --months {n} --insolvency-on {d} --joined {m} --damage {n} "
    "--claim-on {d} --lent-on {d}",
    "tosan-temp-loan --monthly {n} --months {n} --on {d}",
    "tosan-prepay-discount --monthly {n} --months {n} --on {d}",
    "tosan-early-repayment --loan {n} --lent-on {d} --repaid-on {d}",
    "tosan-eligibility --industry retail --capital {n} --employees {n} --started-on {d} --on {d}",
    "tosan-tax-window --cancelled-on {d} --paid-on {d}",
    "shokibo-benefit --monthly {n} --months {n} --on {d}",
    "shokibo-refund --monthly {n} --months {n} --on {d}",
    "shokibo-receipt --method instalment --net {n} --age {n} --on {d}",
    "shokibo-loan-limit --premiums {n} --months {n} --on {d}",
    "shokibo-loan-schedule --amount {n} --term {n} --on {d}",
    "shokibo-eligibility --position sole_proprietor --industry retail --employees {n} --on {d}",
    "shokibo-tsusan --event-on {d} --on {d}",
    "shokibo-prepay-discount --monthly {n} --months {n} --on {d}",
    "shokibo-retirement-deduction --months {n} --on {d}",
]

numbers = st.one_of(st.integers(0, 300), st.integers(0, 10**12)).map(str)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))


@pytest.mark.parametrize("template", TEMPLATES)
# capsys is shared across examples on purpose: each example reads (and so empties) it.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_input_is_answered_or_refused_in_one_line(
    template: str, data: st.DataObject, capsys: pytest.CaptureFixture[str]
) -> None:
    words = []
    for word in template.split():
        if word == "{n}":
            word = data.draw(numbers)
        elif word == "{d}":
            word = data.draw(dates).isoformat()
        elif word == "{m}":
            word = data.draw(dates).strftime("%Y-%m")
        words.append(word)
    code = main(["quote", *words])
    out, err = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("エラー: ")
    else:
        assert "=> " in out
