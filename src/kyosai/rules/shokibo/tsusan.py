"""掛金納付月数の通算, 法13条.

同一人通算 (1項): within 1 year of an A/B event (法9条1項1号・2号), of a 法7条4項 deemed
cancellation, or of a 共同経営者's 任意解約 in the 省令 cases, without claiming, the holder becomes a
共済契約者 again and carries the months over slice by slice. 承継通算 (2項): the spouse or child who
takes over the whole business of an individual contract holder, once per contract. Either way the
applicant must be eligible again and must not be a 中退共・建退共・清退共・林退共 被共済者 (T4).
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kyosai.rules.calendar import deadline_within_months
from kyosai.rules.decision import Checks, Decision
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer


class TsusanEvent(StrEnum):
    A = "A"  # 共済金A の事由 (法9条1項1号)
    B = "B"  # 役員の疾病・負傷・65歳以上での退任など (法9条1項2号); 老齢給付 (3号) is not one
    DEEMED = "deemed"  # 法7条4項の解約（法人成りなど）
    CO_MANAGER = "co_manager"  # 共同経営者の任意解約のうち省令で定める場合


class Relation(StrEnum):
    SPOUSE = "spouse"
    CHILD = "child"
    OTHER = "other"


@dataclass(frozen=True)
class CommonFacts:
    """What both kinds of 通算 check about the applicant on the application date."""

    applied_on: dt.date
    eligible_now: bool  # meets the 加入資格 at the time of 通算 (see eligibility.py)
    retirement_scheme_member: bool = False  # 中退共・建退共・清退共・林退共の被共済者


def _common(checks: Checks, facts: CommonFacts, start_on: dt.date, what: str) -> None:
    t = checks.t
    months = t.count("shokibo/tsusan_deadline_months", start_on)
    deadline = deadline_within_months(start_on, months)
    t.step(
        "申出期限", deadline.isoformat(), f"{what}（{start_on.isoformat()}）から{months}か月以内"
    )
    checks.require(
        start_on <= facts.applied_on <= deadline,
        "期限内の申出",
        "past_deadline",
        f"通算の申出は{what}から1年以内（{deadline.isoformat()}まで）に必要です。",
    )
    checks.require(
        facts.eligible_now,
        "通算時の加入資格",
        "not_eligible",
        "通算するときにも加入資格を満たしている必要があります。",
    )
    exclusion_from = t.date("shokibo/retirement_scheme_exclusion_from", facts.applied_on)
    checks.require(
        not (facts.retirement_scheme_member and facts.applied_on >= exclusion_from),
        "退職金共済の被共済者でない",
        "retirement_scheme_member",
        "中小企業退職金共済・建設業退職金共済・清酒製造業退職金共済・林業退職金共済の"
        "被共済者は通算できません。",
    )


def same_person_tsusan(
    facts: CommonFacts,
    *,
    event: TsusanEvent,
    event_on: dt.date,
    claimed: bool,
    params: ParameterSet | None = None,
) -> Decision:
    """同一人通算 (法13条1項) of the months of the contract that ended with `event`."""
    t = Explainer(
        "小規模企業共済 同一人通算",
        {
            "事由": event.value,
            "事由の生じた日": event_on,
            "申出日": facts.applied_on,
            "共済金等を請求済み": claimed,
            "通算時の加入資格": facts.eligible_now,
            "退職金共済の被共済者": facts.retirement_scheme_member,
        },
        params,
    )
    checks = Checks(t)
    _common(checks, facts, event_on, "共済事由の生じた日")
    checks.require(
        not claimed,
        "共済金等を請求していない",
        "already_claimed",
        "共済金・解約手当金を請求した契約の月数は通算できません。",
    )
    return checks.decision("同一人通算")


def succession_tsusan(
    facts: CommonFacts,
    *,
    relation: Relation,
    whole_business: bool,
    old_contract_individual: bool,
    old_contract_already_succeeded: bool,
    transferred_on: dt.date,
    params: ParameterSet | None = None,
) -> Decision:
    """承継通算 (法13条2項) by the successor of an individual contract holder's business."""
    t = Explainer(
        "小規模企業共済 承継通算",
        {
            "続柄": relation.value,
            "事業の全部を承継": whole_business,
            "旧契約が個人（個人事業主・共同経営者）": old_contract_individual,
            "旧契約が承継通算済み": old_contract_already_succeeded,
            "譲渡・相続開始の日": transferred_on,
            "申出日": facts.applied_on,
        },
        params,
    )
    checks = Checks(t)
    checks.require(
        relation in (Relation.SPOUSE, Relation.CHILD),
        "配偶者または子",
        "not_spouse_or_child",
        "承継通算できるのは配偶者または子だけです。",
    )
    checks.require(
        whole_business,
        "事業の全部を承継",
        "not_whole_business",
        "事業の全部を譲り受け（相続し）た場合に限られます。",
    )
    checks.require(
        old_contract_individual,
        "旧契約が個人の契約",
        "old_contract_not_individual",
        "承継通算できるのは個人事業主・共同経営者の契約だけです。",
    )
    checks.require(
        not old_contract_already_succeeded,
        "承継通算は1契約1回",
        "already_succeeded",
        "すでに承継通算した契約は、もう一度承継通算できません。",
    )
    _common(checks, facts, transferred_on, "譲渡・相続開始の日")
    return checks.decision("承継通算")
