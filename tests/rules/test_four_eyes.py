"""二人承認 thresholds: one dated yen parameter per procedure kind, none for a kind without one."""

import datetime as dt
from pathlib import Path

from kyosai.rules.four_eyes import four_eyes_rule
from kyosai.rules.params import Status, load_parameters

ON = dt.date(2026, 11, 23)


def test_the_cancellation_threshold_is_an_operator_value_that_says_so() -> None:
    rule = four_eyes_rule("cancellation", on=ON)
    assert rule is not None and rule.valid_from == dt.date(2020, 4, 1)
    assert rule.status == Status.UNCONFIRMED and "運用者" in rule.note
    assert rule.applies_to(rule.from_yen) and not rule.applies_to(rule.from_yen - 1)
    assert four_eyes_rule("cancellation", on=dt.date(2020, 3, 31)) is None  # not in force yet
    assert four_eyes_rule("enrollment", on=ON) is None  # pays nothing out: one person decides


def test_a_new_kind_only_adds_its_dated_file(tmp_path: Path) -> None:
    folder = tmp_path / "common" / "four_eyes"
    folder.mkdir(parents=True)
    (folder / "loan.yaml").write_text(
        "description: 貸付けの二人承認の基準額\nreference: 内部統制\nunit: yen\nvalues:\n"
        "  2026-04-01: {value: 5000000, status: confirmed}\n"
        "  2027-04-01: {value: 4000000, status: confirmed}\n",
        encoding="utf-8",
    )
    params = load_parameters(tmp_path)
    assert four_eyes_rule("loan", on=ON, params=params).from_yen == 5_000_000  # type: ignore[union-attr]
    later = four_eyes_rule("loan", on=dt.date(2027, 4, 1), params=params)
    assert later is not None and later.from_yen == 4_000_000
