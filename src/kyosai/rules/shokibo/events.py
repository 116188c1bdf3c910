"""共済事由: which benefit an event pays, 法9条1項 (共済金A・B) and 法7条4項・12条3項2号 (準共済金).

The kind depends on the position the holder joined in and on the event (shokibo_rules.md B1–B4):
a sole proprietor's 廃業 is A, a company officer's illness is B, 法人成り without becoming an
officer is 準共済金, and so on. 老齢給付 (法9条1項3号) needs an age and months paid; an officer
leaving office for other reasons is B from 65 (since 2016-04) and 準共済金 below. The mapping is
data (`shokibo/benefit_events`); the rows the references do not confirm (共同経営者, a transfer to
a spouse or child) are a parameter of their own marked unconfirmed, so a quote using them says so.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kyosai.rules.decision import Checks, Reason
from kyosai.rules.params import ParameterSet, Table, default_parameters
from kyosai.rules.shokibo.benefits import BENEFIT_LABEL, BenefitKind
from kyosai.rules.shokibo.eligibility import Position
from kyosai.rules.trace import Explainer, Trace

EVENTS = "shokibo/benefit_events"
UNCONFIRMED_EVENTS = "shokibo/benefit_events_unconfirmed"


class BenefitEvent(StrEnum):
    CLOSURE = "closure"  # 個人事業の廃業 / 共同経営者: 事業主の廃業による退任
    DISSOLUTION = "dissolution"  # 会社等の解散
    DEATH = "death"  # 死亡（遺族が請求）
    TRANSFER_OTHER = "transfer_other"  # 配偶者・子以外への事業全部の譲渡
    TRANSFER_FAMILY = "transfer_family"  # 配偶者・子への事業全部の譲渡
    INCORPORATION = "incorporation"  # 法人成りして小規模企業者たる役員にならない
    ILLNESS = "illness"  # 疾病・負傷による退任
    RETIREMENT = "retirement"  # 役員の退任（疾病・負傷・死亡・解散以外）
    OLD_AGE = "old_age"  # 老齢給付（65歳以上・掛金納付月数180か月以上）


EVENT_LABEL = {
    BenefitEvent.CLOSURE: "事業をやめた（廃業）",
    BenefitEvent.DISSOLUTION: "会社などを解散した",
    BenefitEvent.DEATH: "亡くなった（ご遺族の請求）",
    BenefitEvent.TRANSFER_OTHER: "事業の全部を配偶者・子以外に譲った",
    BenefitEvent.TRANSFER_FAMILY: "事業の全部を配偶者・子に譲った",
    BenefitEvent.INCORPORATION: "法人成りして、その会社の役員にならなかった",
    BenefitEvent.ILLNESS: "病気やけがで役員・共同経営者をやめた",
    BenefitEvent.RETIREMENT: "病気やけが以外の理由で役員をやめた",
    BenefitEvent.OLD_AGE: "65歳以上で老齢給付を受ける（掛金納付15年以上）",
}


def position_group(position: str) -> str:
    """The group whose events apply: a sole proprietor, a 共同経営者, or any kind of officer."""
    if position == Position.SOLE_PROPRIETOR:
        return "sole_proprietor"
    if position == Position.CO_MANAGER:
        return "co_manager"
    return "officer"


def events_for(
    position: str, *, on: dt.date, params: ParameterSet | None = None
) -> list[BenefitEvent]:
    """The events a holder who joined in `position` may claim for, on `on`, in label order."""
    group = position_group(position)
    keys = {str(row.cells["event"]) for table in _tables(on, params) for row in table.rows}
    return [event for event in BenefitEvent if f"{group}.{event}" in keys]


@dataclass(frozen=True)
class EventDecision:
    """The kind the event pays (None when it pays nothing as a 共済金), with the reasons."""

    allowed: bool
    kind: BenefitKind | None
    death: bool
    reasons: tuple[Reason, ...]
    trace: Trace


def classify_event(
    position: str,
    event: BenefitEvent,
    *,
    age_on_event: int,
    months_paid: int,
    on: dt.date,
    params: ParameterSet | None = None,
) -> EventDecision:
    """The benefit `event` on `on` pays a holder who joined in `position` (共済金A, B or 準共済金)."""
    t = Explainer(
        "小規模企業共済 共済事由の区分",
        {
            "加入した立場": position,
            "事由": EVENT_LABEL[event],
            "事由の生じた日": on,
            "事由の生じた日の年齢": f"{age_on_event}歳",
            "掛金納付月数": f"{months_paid}か月",
        },
        params,
    )
    checks = Checks(t)
    key = f"{position_group(position)}.{event}"
    name = next((n for n, table in _named_tables(on, params) if _has(table, key)), None)
    if not checks.require(
        name is not None,
        "立場と事由",
        "event_not_for_position",
        "この事由は、ご加入の立場では共済金の請求事由になりません。",
    ):
        decision = checks.decision("共済事由")
        return EventDecision(False, None, False, decision.reasons, decision.trace)
    assert name is not None
    row = t.row_where(name, on, "event", key)
    min_age, min_months = row.count("min_age"), row.count("min_months")
    if min_age:
        checks.require(
            age_on_event >= min_age,
            f"{min_age}歳以上",
            "under_age",
            f"老齢給付は{min_age}歳以上の方に限られます。",
        )
    if min_months:
        checks.require(
            months_paid >= min_months,
            f"掛金納付月数{min_months}か月以上",
            "too_few_months",
            f"老齢給付には掛金納付月数が{min_months}か月以上必要です（現在{months_paid}か月）。",
        )
    older_from = row.count("older_from_age")
    older = bool(older_from) and age_on_event >= older_from
    kind = BenefitKind(row.text("older_kind" if older else "kind"))
    t.step("区分", BENEFIT_LABEL[kind], f"{older_from}歳以上の区分" if older else "")
    decision = checks.decision("共済事由")
    return EventDecision(
        decision.allowed,
        kind if decision.allowed else None,
        event == BenefitEvent.DEATH,
        decision.reasons,
        decision.trace,
    )


def _named_tables(on: dt.date, params: ParameterSet | None) -> list[tuple[str, Table]]:
    """The confirmed rows first: a key in both is read from the confirmed table."""
    chosen = params or default_parameters()
    found = []
    for name in (EVENTS, UNCONFIRMED_EVENTS):
        parameter = chosen[name]
        if parameter.values[0].valid_from <= on:
            value = parameter.at(on).value
            assert isinstance(value, Table)
            found.append((name, value))
    return found


def _tables(on: dt.date, params: ParameterSet | None) -> list[Table]:
    return [table for _, table in _named_tables(on, params)]


def _has(table: Table, key: str) -> bool:
    return any(row.cells["event"] == key for row in table.rows)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on `day` (the birthday itself counts)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def kinds_by_event(
    position: str, *, on: dt.date, params: ParameterSet | None = None
) -> dict[BenefitEvent, set[BenefitKind]]:
    """The kinds each event of the position may pay (two where the age on the event decides)."""
    group = position_group(position)
    found: dict[BenefitEvent, set[BenefitKind]] = {}
    for table in reversed(_tables(on, params)):  # the confirmed table wins a key in both
        for row in table.rows:
            key = str(row.cells["event"])
            if key.startswith(f"{group}."):
                event = BenefitEvent(key.removeprefix(f"{group}."))
                found[event] = {BenefitKind(row.text("kind")), BenefitKind(row.text("older_kind"))}
    return {event: found[event] for event in BenefitEvent if event in found}
