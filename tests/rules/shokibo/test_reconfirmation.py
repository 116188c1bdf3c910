"""The eight checks of 加入資格確認 and who is asked which (seed 003, 加入資格確認書（イメージ）)."""

import datetime as dt

from kyosai.rules.shokibo.eligibility import Position
from kyosai.rules.shokibo.reconfirmation import CHECKS, applicable_checks, follow_ups


def codes(position: str, joined: dt.date) -> str:
    return "".join(c.code for c in applicable_checks(position, joined))


def test_the_form_has_eight_checks_numbered_as_printed_seed_003() -> None:
    assert [c.mark for c in CHECKS] == ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧"]
    assert CHECKS[3].text == "生命保険外務員である。"


def test_six_is_for_officers_seven_for_sole_proprietors_from_h6_4_eight_from_h23_1_seed_003() -> (
    None
):
    assert codes(Position.SOLE_PROPRIETOR, dt.date(2015, 4, 1)) == "1234578"
    assert codes(Position.COMPANY_OFFICER, dt.date(2015, 4, 1)) == "1234568"
    assert codes(Position.SOLE_PROPRIETOR, dt.date(1994, 4, 1)) == "123457"  # 平成6年4月以降
    assert codes(Position.SOLE_PROPRIETOR, dt.date(1994, 3, 1)) == "12345"
    assert codes(Position.COMPANY_OFFICER, dt.date(2010, 12, 1)) == "123456"  # 平成23年1月より前
    assert codes(Position.CO_MANAGER, dt.date(2011, 1, 1)) == "123458"


def test_a_check_that_applied_is_a_follow_up() -> None:
    assert follow_ups({"1": False, "7": True, "3": True}) == ("3", "7")
    assert follow_ups({"1": False, "2": False}) == ()
