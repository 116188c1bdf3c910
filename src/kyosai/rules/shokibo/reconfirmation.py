"""加入資格確認 (reconfirmation of eligibility at joining): the eight checks of the operator's
「小規模企業共済に関する加入時における資格要件の再確認」 (seed 003, 加入資格確認書（イメージ）),
which rest on 施行規則24条の2 (the operator may ask a member for a report).

The member confirms that at joining none of the checks applied to them; a check that did apply
means they may not have been eligible, and the operator follows it up. Three checks apply only to
some members: ⑥ to those who joined as a company officer, ⑦ to sole proprietors who joined from
平成6年4月, ⑧ to those who joined from 平成23年1月 (the dates as the form prints them).
"""

import datetime as dt
from dataclasses import dataclass

from kyosai.rules.shokibo.eligibility import Position

# Seed 003 ⑥: 「ご加入時の地位が会社等の役員の方のみ」.
OFFICERS = frozenset({
    Position.COMPANY_OFFICER, Position.KIGYO_KUMIAI_OFFICER, Position.KYOGYO_KUMIAI_OFFICER,
    Position.FARM_CORPORATION_OFFICER, Position.PROFESSIONAL_PARTNER,
})  # fmt: skip
FAMILY_WORKER_CHECK_FROM = dt.date(1994, 4, 1)  # seed 003 ⑦: ご加入年月が平成6年4月以降
CHUTAIKYO_CHECK_FROM = dt.date(2011, 1, 1)  # seed 003 ⑧: ご加入年月が平成23年1月以降


@dataclass(frozen=True)
class Check:
    code: str  # "1" … "8", as numbered on the form (①…⑧)
    mark: str
    text: str  # as the form asks it
    note: str  # a short explanation for the web form


CHECKS = (
    Check("1", "①", "アパート経営等の事業を兼業している給与所得者、サラリーマンである。",
          "会社などに常時雇用されてお給料を受けながら、副業として事業をしている方です。"),
    Check("2", "②", "協同組合、医療法人、学校法人、宗教法人、社会福祉法人、社団法人、財団法人、"
          "NPO法人等の直接営利を目的としない法人の役員である。",
          "営利を目的としない法人の役員は、その地位では加入できません。"),
    Check("3", "③", "加入した地位（個人事業主・役員）以外に、加入資格のない事業や役員を兼務している。",
          "加入したときの事業や役職とは別に、加入資格のない仕事を兼ねている場合です。"),
    Check("4", "④", "生命保険外務員である。", "保険会社の営業職員（外務員）の方です。"),
    Check("5", "⑤", "学業を本業とする全日制高校生等である。", "学生が本業の方は加入できません。"),
    Check("6", "⑥", "登記事項証明書に役員として未登記である。",
          "相談役・顧問など、商業登記簿に役員として登記されていない方です。"),
    Check("7", "⑦", "配偶者等の事業専従者である。",
          "ご家族の事業を手伝う専従者（青色・白色）の方です。"),
    Check("8", "⑧", "「中小企業退職金共済制度」「建設業退職金共済制度」「清酒製造業退職金共済制度」"
          "「林業退職金共済制度」の被共済者である。",
          "勤め先がこれらの退職金共済に加入し、その対象になっている方です。"),
)  # fmt: skip


def applicable_checks(position: str, joined_month: dt.date) -> tuple[Check, ...]:
    """The checks a member who joined in `position` in `joined_month` is asked (seed 003)."""
    asked = {"1", "2", "3", "4", "5"}
    if position in OFFICERS:
        asked.add("6")
    if position == Position.SOLE_PROPRIETOR and joined_month >= FAMILY_WORKER_CHECK_FROM:
        asked.add("7")
    if joined_month >= CHUTAIKYO_CHECK_FROM:
        asked.add("8")
    return tuple(check for check in CHECKS if check.code in asked)


def follow_ups(answers: dict[str, bool]) -> tuple[str, ...]:
    """The checks answered 「該当する」: each may mean the member was not eligible at joining."""
    return tuple(sorted(code for code, applied in answers.items() if applied))
