"""加入資格: who may join 中小企業倒産防止共済 (法2条1項・法3条, 施行令1条, 施行規則1条・2条).

A 中小企業者 meets the capital test OR the employee test of its industry (a sole proprietor has no
capital and is judged on employees alone), has been in business for a year, and is of an eligible
type. 施行規則2条 lists five grounds on which SMRJ refuses an application; the caller says which
apply, since they are findings about the applicant rather than arithmetic.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kyosai.rules.calendar import add_months
from kyosai.rules.decision import Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.money import yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace


class Industry(StrEnum):
    MANUFACTURING = "manufacturing"  # 製造業・建設業・運輸業その他
    WHOLESALE = "wholesale"  # 卸売業
    SERVICE = "service"  # サービス業
    RETAIL = "retail"  # 小売業
    RUBBER_PRODUCTS = "rubber_products"  # ゴム製品製造業（施行令1条）
    SOFTWARE_IT = "software_it"  # ソフトウェア業・情報処理サービス業（施行令1条）
    INN = "inn"  # 旅館業（施行令1条）


INDUSTRY_LABEL = {
    Industry.MANUFACTURING: "製造業・建設業・運輸業その他",
    Industry.WHOLESALE: "卸売業",
    Industry.SERVICE: "サービス業",
    Industry.RETAIL: "小売業",
    Industry.RUBBER_PRODUCTS: "ゴム製品製造業",
    Industry.SOFTWARE_IT: "ソフトウェア業・情報処理サービス業",
    Industry.INN: "旅館業",
}


class Organisation(StrEnum):
    COMPANY = "company"  # 会社
    SOLE_PROPRIETOR = "sole_proprietor"  # 個人事業主
    KIGYO_KUMIAI = "kigyo_kumiai"  # 企業組合
    KYOGYO_KUMIAI = "kyogyo_kumiai"  # 協業組合
    JIGYO_KYODO_KUMIAI = "jigyo_kyodo_kumiai"  # 事業協同組合
    JIGYO_KYODO_SHO_KUMIAI = "jigyo_kyodo_sho_kumiai"  # 事業協同小組合
    SHOKO_KUMIAI = "shoko_kumiai"  # 商工組合
    MEDICAL_CORPORATION = "medical_corporation"  # 医療法人
    AGRICULTURAL_PARTNERSHIP = "agricultural_partnership"  # 農事組合法人
    NPO = "npo"  # NPO法人
    FOREST_OWNERS_COOPERATIVE = "forest_owners_cooperative"  # 森林組合
    AGRICULTURAL_COOPERATIVE = "agricultural_cooperative"  # 農業協同組合
    FOREIGN_CORPORATION = "foreign_corporation"  # 外国法人
    OTHER = "other"  # その他の法人・組合


ORGANISATION_LABEL = {
    Organisation.COMPANY: "会社",
    Organisation.SOLE_PROPRIETOR: "個人事業主",
    Organisation.KIGYO_KUMIAI: "企業組合",
    Organisation.KYOGYO_KUMIAI: "協業組合",
    Organisation.JIGYO_KYODO_KUMIAI: "事業協同組合",
    Organisation.JIGYO_KYODO_SHO_KUMIAI: "事業協同小組合",
    Organisation.SHOKO_KUMIAI: "商工組合",
    Organisation.MEDICAL_CORPORATION: "医療法人",
    Organisation.AGRICULTURAL_PARTNERSHIP: "農事組合法人",
    Organisation.NPO: "NPO法人",
    Organisation.FOREST_OWNERS_COOPERATIVE: "森林組合",
    Organisation.AGRICULTURAL_COOPERATIVE: "農業協同組合",
    Organisation.FOREIGN_CORPORATION: "外国法人",
    Organisation.OTHER: "その他の法人・組合",
}

# 法2条1項: these 組合 are 中小企業者 by their type, with no size test.
_QUALIFYING_BY_TYPE = {Organisation.KIGYO_KUMIAI, Organisation.KYOGYO_KUMIAI}
# 法2条1項: these qualify only when they run joint production, joint sales or similar.
_QUALIFYING_WITH_JOINT_BUSINESS = {
    Organisation.JIGYO_KYODO_KUMIAI,
    Organisation.JIGYO_KYODO_SHO_KUMIAI,
    Organisation.SHOKO_KUMIAI,
}


class RefusalGround(StrEnum):
    """施行規則2条各号: grounds on which SMRJ refuses to conclude a contract."""

    FREQUENT_CHANGES = "frequent_changes"  # 一号 住所・主たる事業の変更の繰り返し
    ACCOUNTS_UNCLEAR = "accounts_unclear"  # 二号 経理内容の把握が困難
    LOAN_ARREARS = "loan_arrears"  # 三号 共済金・一時貸付金の償還の遅滞
    UNRETURNED_PAYMENTS = "unreturned_payments"  # 三号 返還すべき共済金・手当金等の未返還
    UNPAID_TAX = "unpaid_tax"  # 四号 申込前1年間に納期の来た所得税・法人税の未納


REFUSAL_MESSAGE = {
    RefusalGround.FREQUENT_CHANGES: (
        "住所または主たる事業の変更が繰り返され、継続的な取引の状況を把握できないため、"
        "加入できません（施行規則2条1号）。"
    ),
    RefusalGround.ACCOUNTS_UNCLEAR: "事業の経理内容を把握できないため、加入できません（施行規則2条2号）。",
    RefusalGround.LOAN_ARREARS: (
        "以前に借りた共済金または一時貸付金の返済が遅れているため、加入できません（施行規則2条3号）。"
    ),
    RefusalGround.UNRETURNED_PAYMENTS: (
        "機構から返還を求められた共済金・一時貸付金・早期償還手当金・解約手当金・完済手当金を"
        "返還していないため、加入できません（施行規則2条3号）。"
    ),
    RefusalGround.UNPAID_TAX: (
        "申込みの日以前1年間に納期が来た所得税（法人は法人税）が未納のため、"
        "加入できません（施行規則2条4号）。"
    ),
}


@dataclass(frozen=True)
class Applicant:
    organisation: Organisation
    industry: Industry
    capital_yen: int | None  # 資本金の額または出資の総額; None for a sole proprietor
    employees: int  # 常時使用する従業員の数
    business_started_on: dt.date
    joint_business: bool = False  # 共同生産・共同販売等の共同事業を行う組合か
    refusal_grounds: frozenset[RefusalGround] = frozenset()

    def __post_init__(self) -> None:
        if self.employees < 0 or (self.capital_yen is not None and self.capital_yen < 0):
            raise RuleError(
                "資本金・従業員数に負の値は使えません", "capital and employees must be >= 0"
            )
        if self.organisation == Organisation.COMPANY and self.capital_yen is None:
            raise RuleError("会社の資本金の額を指定してください", "a company needs capital_yen")


@dataclass(frozen=True)
class EligibilityDecision:
    eligible: bool
    reasons: tuple[Reason, ...]  # why not, empty when eligible
    trace: Trace


def eligibility(
    applicant: Applicant, *, applied_on: dt.date, params: ParameterSet | None = None
) -> EligibilityDecision:
    """Whether `applicant` may join on `applied_on`."""
    org = applicant.organisation
    t = Explainer(
        "倒産防止共済 加入資格",
        {
            "申込日": applied_on,
            "組織の種類": ORGANISATION_LABEL[org],
            "業種": INDUSTRY_LABEL[applicant.industry],
            "資本金・出資総額": "—"
            if applicant.capital_yen is None
            else yen_text(applicant.capital_yen),
            "常時使用する従業員": f"{applicant.employees}人",
            "事業開始日": applicant.business_started_on,
        },
        params,
    )
    reasons = [*_organisation_reasons(applicant, applied_on, t)]
    months = t.count("tosan/min_business_months", applied_on)
    one_year_on = add_months(applicant.business_started_on, months)
    t.step("事業継続の要件を満たす日", one_year_on.isoformat(), f"事業開始日から{months}か月")
    if applied_on < one_year_on:
        reasons.append(
            Reason(
                "under_one_year",
                f"事業を始めてから{months // 12}年以上たっていないため、加入できません"
                f"（{one_year_on.isoformat()} から申込みできます）。",
            )
        )
    reasons += [
        Reason(f"refusal_{ground}", REFUSAL_MESSAGE[ground])
        for ground in RefusalGround
        if ground in applicant.refusal_grounds
    ]
    t.step("加入資格", "あり" if not reasons else "なし")
    return EligibilityDecision(not reasons, tuple(reasons), t.trace())


def _organisation_reasons(applicant: Applicant, on: dt.date, t: Explainer) -> list[Reason]:
    org = applicant.organisation
    label = ORGANISATION_LABEL[org]
    if org in _QUALIFYING_BY_TYPE:
        t.step("組織の種類", f"{label}は中小企業者に当たります", "法2条1項")
        return []
    if org in _QUALIFYING_WITH_JOINT_BUSINESS:
        t.step("共同事業", "行っている" if applicant.joint_business else "行っていない", "法2条1項")
        if applicant.joint_business:
            return []
        return [
            Reason(
                "cooperative_without_joint_business",
                f"{label}は、共同生産・共同販売などの共同事業を行っている場合に限り加入できます。",
            )
        ]
    if org not in (Organisation.COMPANY, Organisation.SOLE_PROPRIETOR):
        return [
            Reason("organisation_not_eligible", f"{label}はこの共済に加入できません（法2条1項）。")
        ]
    row = t.row_where("tosan/sme_thresholds", on, "industry", applicant.industry.value)
    max_capital, max_employees = row.yen("capital_yen"), row.count("employees")
    by_employees = applicant.employees <= max_employees
    t.step("従業員数の基準", f"{max_employees}人以下", "満たす" if by_employees else "満たさない")
    by_capital = False
    if applicant.capital_yen is not None and org == Organisation.COMPANY:
        by_capital = applicant.capital_yen <= max_capital
        t.step(
            "資本金の基準", f"{yen_text(max_capital)}以下", "満たす" if by_capital else "満たさない"
        )
    else:
        t.step("資本金の基準", "個人事業主は従業員数だけで判定します")
    if by_capital or by_employees:
        return []
    industry = INDUSTRY_LABEL[applicant.industry]
    if org == Organisation.SOLE_PROPRIETOR:
        text = f"{industry}の個人事業主は常時使用する従業員が{max_employees}人以下でなければ加入できません。"
    else:
        text = (
            f"{industry}では資本金{yen_text(max_capital)}以下または常時使用する従業員"
            f"{max_employees}人以下のどちらかを満たす必要があります。"
        )
    return [Reason("not_sme", text)]
