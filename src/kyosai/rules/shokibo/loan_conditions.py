"""What each kind of 契約者貸付け requires of the holder beyond the limit (shokibo_rules §5.2).

- 一般 (L2): business funds, nothing further to state.
- 緊急経営安定 (L8): a 商工会, 商工会議所, 中小企業団体中央会 or 青色申告会 confirms one of: sales of
  the latest 3 or 6 months down 5% or more on the same months a year earlier and expected to keep
  falling; down 5% or more on the same months 2 or 3 years earlier, also down on a year earlier,
  and expected to fall; or a cause SMRJ recognises expected to make one month's sales fall
  sharply. Applied for within 3 months after the last month of the period compared.
- 傷病災害時 (L9): 5 days or more in hospital (outpatient days after discharge may count), or
  damage from a 災害救助法 disaster (certified by a 商工会 etc.) or a general disaster (罹災証明);
  applied for within 6 months of the admission or the disaster.
- 創業転業時・新規事業展開等 (L10): a 商工会 etc. confirms either the 創業転業時 statements (an A/B/準
  event has occurred or is certain; the holder will start or change business, remain a 小規模企業者
  and carry the months over by 通算 without claiming) or a 新規事業展開: a new industry at the
  日本標準産業分類 細分類 level, or a successor's new business.

Each failed check is a reason whose code is the name of the fact it is about, so that a form can
show it next to that field. The documents (認定書, 入院証明書, 罹災証明書) are checked by staff.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kyosai.rules.calendar import add_months, deadline_within_months, month_of
from kyosai.rules.decision import Checks, Decision
from kyosai.rules.errors import RuleError
from kyosai.rules.money import rate_text, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.shokibo.loans import KIND_LABEL, LoanKind, parameter
from kyosai.rules.trace import Explainer


class ConfirmingBody(StrEnum):
    """Who confirms a special loan's facts (L8, L10)."""

    SHOKOKAI = "shokokai"
    CHAMBER = "chamber"
    CHUOKAI = "chuokai"
    AOIRO = "aoiro"


BODY_LABEL = {
    ConfirmingBody.SHOKOKAI: "商工会",
    ConfirmingBody.CHAMBER: "商工会議所",
    ConfirmingBody.CHUOKAI: "中小企業団体中央会",
    ConfirmingBody.AOIRO: "青色申告会",
}


class SalesFallGround(StrEnum):
    """The three ways 緊急経営安定 sales may have fallen (L8)."""

    YEAR_ON_YEAR = "year_on_year"
    YEARS_AGO = "years_ago"
    RECOGNISED_CAUSE = "recognised_cause"


GROUND_LABEL = {
    SalesFallGround.YEAR_ON_YEAR: "直近3か月（または6か月）の売上高が前年の同じ期間より5%以上減少",
    SalesFallGround.YEARS_AGO: (
        "直近3か月（または6か月）の売上高が2年前（または3年前）の同じ期間より5%以上減少し、"
        "前年の同じ期間よりも減少"
    ),
    SalesFallGround.RECOGNISED_CAUSE: "機構が認める事由により、1か月の売上高の大幅な減少が見込まれる",
}


@dataclass(frozen=True)
class EmergencyFacts:
    """緊急経営安定貸付け: the fall in sales as the confirming body confirms it (L8)."""

    ground: SalesFallGround
    confirmed_by: ConfirmingBody
    confirmer_name: str  # e.g. 東京商工会議所
    expected_to_fall: bool  # 今後も売上高の減少が見込まれる
    period_months: int = 0  # 3 or 6: the months compared
    period_end_month: dt.date | None = None  # the last month compared
    years_back: int = 1  # compared with the same months 1 (YEAR_ON_YEAR), 2 or 3 years earlier
    sales_yen: int = 0  # sales of the period
    compared_sales_yen: int = 0  # sales of the same months `years_back` years earlier
    last_year_sales_yen: int = 0  # YEARS_AGO: sales of the same months a year earlier
    cause: str = ""  # RECOGNISED_CAUSE: what is making sales fall


class IllnessDisasterCause(StrEnum):
    ILLNESS = "illness"
    RELIEF_ACT_DISASTER = "relief_act_disaster"
    GENERAL_DISASTER = "general_disaster"


CAUSE_LABEL = {
    IllnessDisasterCause.ILLNESS: "病気・けがによる入院",
    IllnessDisasterCause.RELIEF_ACT_DISASTER: "災害救助法が適用された災害による被害",
    IllnessDisasterCause.GENERAL_DISASTER: "火災・落雷・台風・暴風雨などの災害による被害",
}


@dataclass(frozen=True)
class IllnessDisasterFacts:
    """傷病災害時貸付け: the hospital stay or the disaster (L9)."""

    cause: IllnessDisasterCause
    event_on: dt.date  # the day of admission, or of the disaster
    hospital_days: int = 0  # ILLNESS: days in hospital (outpatient days after discharge may count)
    certifier_name: str = ""  # a disaster: who certified it (商工会等, or the 罹災証明's issuer)


class NewBusinessCase(StrEnum):
    STARTUP = "startup"  # 創業転業時
    EXPANSION = "expansion"  # 新規事業展開等


CASE_LABEL = {
    NewBusinessCase.STARTUP: "創業転業時（事業をやめて新たに始める・業種を変える）",
    NewBusinessCase.EXPANSION: "新規事業展開等（新たな事業・後継者の新事業）",
}


class ExpansionBasis(StrEnum):
    NEW_INDUSTRY = "new_industry"  # a new 日本標準産業分類 細分類
    SUCCESSOR = "successor"  # a successor's new business or diversification


BASIS_LABEL = {
    ExpansionBasis.NEW_INDUSTRY: "日本標準産業分類の細分類で、今と違う業種の事業を始める",
    ExpansionBasis.SUCCESSOR: "後継者が新たな事業・多角化を行う",
}


@dataclass(frozen=True)
class NewBusinessFacts:
    """創業転業時・新規事業展開等貸付け: what the confirming body confirms (L10)."""

    case: NewBusinessCase
    confirmed_by: ConfirmingBody
    confirmer_name: str
    # STARTUP: the four statements
    event_occurred_or_certain: bool = False  # 共済金A・B・準共済金の事由が生じた（確実）
    starts_or_changes_business: bool = False
    stays_small_enterprise: bool = False
    tsusan_without_claim: bool = False  # 共済金を請求せずに通算する
    # EXPANSION
    basis: ExpansionBasis | None = None
    new_business: str = ""  # the new industry or business


ConditionFacts = EmergencyFacts | IllnessDisasterFacts | NewBusinessFacts
FACTS_OF: dict[LoanKind, type[ConditionFacts] | None] = {
    LoanKind.GENERAL: None,
    LoanKind.EMERGENCY: EmergencyFacts,
    LoanKind.ILLNESS_DISASTER: IllnessDisasterFacts,
    LoanKind.NEW_BUSINESS: NewBusinessFacts,
}


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def check_conditions(
    kind: LoanKind,
    facts: ConditionFacts | None,
    *,
    applied_on: dt.date,
    params: ParameterSet | None = None,
) -> Decision:
    """Whether `facts` meet what `kind` requires, for a request made on `applied_on`."""
    expected = FACTS_OF[kind]
    if (facts is None) != (expected is None) or (
        expected is not None and not isinstance(facts, expected)
    ):
        raise RuleError(
            f"{KIND_LABEL[kind]}の要件の内容が違います", f"facts {facts!r} do not fit {kind}"
        )
    t = Explainer(f"小規模企業共済 {KIND_LABEL[kind]}の要件", {"申込日": applied_on}, params)
    checks = Checks(t)
    if isinstance(facts, EmergencyFacts):
        _emergency(checks, t, facts, applied_on)
    elif isinstance(facts, IllnessDisasterFacts):
        _illness_disaster(checks, t, facts, applied_on)
    elif isinstance(facts, NewBusinessFacts):
        _new_business(checks, facts)
    else:
        t.step("要件", "なし", "一般貸付けは事業資金として使途を問わない")
    return checks.decision(f"{KIND_LABEL[kind]}の要件")


def _confirmer(checks: Checks, name: str, what: str) -> None:
    checks.require(
        bool(name.strip()),
        "確認した団体",
        "confirmer_name",
        f"{what}を確認した商工会・商工会議所などの名称を入力してください。",
    )


def _emergency(checks: Checks, t: Explainer, f: EmergencyFacts, applied_on: dt.date) -> None:
    _confirmer(checks, f.confirmer_name, "売上高の減少")
    checks.require(
        f.expected_to_fall,
        "今後の見込み",
        "expected_to_fall",
        "今後も売上高の減少が見込まれることが要件です。",
    )
    if f.ground == SalesFallGround.RECOGNISED_CAUSE:
        checks.require(
            bool(f.cause.strip()),
            "事由",
            "cause",
            "売上高の大幅な減少が見込まれる事由を入力してください。",
        )
        return
    checks.require(
        f.period_months in (3, 6),
        "比べる期間",
        "period_months",
        "比べる期間は直近の3か月か6か月です。",
    )
    allowed_back = (1,) if f.ground == SalesFallGround.YEAR_ON_YEAR else (2, 3)
    checks.require(
        f.years_back in allowed_back,
        "比べる年",
        "years_back",
        "2年前か3年前の同じ期間と比べてください。",
    )
    end = f.period_end_month
    if not checks.require(
        end is not None and month_of(end) < month_of(applied_on),
        "比べる期間の最終月",
        "period_end_month",
        "比べる期間の最終月には、先月以前の月を入力してください。",
    ):
        return
    assert end is not None  # checked just above
    deadline = _month_end(
        add_months(
            month_of(end), t.count(parameter(LoanKind.EMERGENCY, "_apply_months"), applied_on)
        )
    )
    checks.require(
        applied_on <= deadline,
        "申込みの期限",
        "period_end_month",
        f"比べた期間の最終月から申込みの期限（{deadline:%Y年%-m月%-d日}）を過ぎています。",
    )
    if not checks.require(
        f.compared_sales_yen > 0,
        "比べる売上高",
        "compared_sales_yen",
        "比べる期間の売上高を入力してください。",
    ):
        return
    threshold = t.rate(parameter(LoanKind.EMERGENCY, "_sales_fall"), applied_on)
    fall = Decimal(f.compared_sales_yen - f.sales_yen) / f.compared_sales_yen
    shown = rate_text(fall.quantize(Decimal("0.0001")))
    checks.require(
        fall >= threshold,
        "売上高の減少",
        "sales_yen",
        f"売上高の減少は{shown}で、{rate_text(threshold)}に届きません。",
    )
    t.step(
        "売上高の減少率",
        shown,
        f"({yen_text(f.compared_sales_yen)} − {yen_text(f.sales_yen)}) ÷ "
        f"{yen_text(f.compared_sales_yen)}",
    )
    if f.ground == SalesFallGround.YEARS_AGO:
        checks.require(
            f.sales_yen < f.last_year_sales_yen,
            "前年との比較",
            "last_year_sales_yen",
            "前年の同じ期間と比べても売上高が減少していることが要件です。",
        )


def _illness_disaster(
    checks: Checks, t: Explainer, f: IllnessDisasterFacts, applied_on: dt.date
) -> None:
    what = "入院した日" if f.cause == IllnessDisasterCause.ILLNESS else "災害の日"
    if not checks.require(
        f.event_on <= applied_on,
        what,
        "event_on",
        f"{what}に、今日より後の日付は入力できません。",
    ):
        return
    months = t.count(parameter(LoanKind.ILLNESS_DISASTER, "_apply_months"), applied_on)
    deadline = deadline_within_months(f.event_on, months)
    checks.require(
        applied_on <= deadline,
        "申込みの期限",
        "event_on",
        f"{what}から{months}か月以内（{deadline:%Y年%-m月%-d日}まで）に申し込む必要があります。",
    )
    if f.cause == IllnessDisasterCause.ILLNESS:
        days = t.count("shokibo/illness_loan_hospital_days", f.event_on)
        checks.require(
            f.hospital_days >= days,
            "入院の日数",
            "hospital_days",
            f"入院の日数（退院後の通院の日数を含めてよい）が{days}日以上であることが要件です。",
        )
    else:
        checks.require(
            bool(f.certifier_name.strip()),
            "被害の証明",
            "certifier_name",
            "被害を証明した商工会など（罹災証明書は発行した市区町村など）の名称を入力してください。",
        )


def _new_business(checks: Checks, f: NewBusinessFacts) -> None:
    _confirmer(checks, f.confirmer_name, "要件")
    if f.case == NewBusinessCase.STARTUP:
        for ok, code, message in (
            (f.event_occurred_or_certain, "event_occurred_or_certain",
             "共済金A・共済金B・準共済金の事由が生じた（または生じることが確実な）ことが要件です。"),
            (f.starts_or_changes_business, "starts_or_changes_business",
             "新たに事業を始める、または業種を変えることが要件です。"),
            (f.stays_small_enterprise, "stays_small_enterprise",
             "その後も小規模企業者であることが要件です。"),
            (f.tsusan_without_claim, "tsusan_without_claim",
             "共済金を請求せずに掛金納付月数を通算することが要件です。"),
        ):  # fmt: skip
            checks.require(ok, "創業転業時の要件", code, message)
        return
    checks.require(
        f.basis is not None,
        "新規事業展開の内容",
        "basis",
        "新たな業種の事業か、後継者の新事業かを選んでください。",
    )
    checks.require(
        bool(f.new_business.strip()),
        "新たな事業",
        "new_business",
        "新たに始める事業（業種）を入力してください。",
    )
