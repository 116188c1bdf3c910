"""加入資格, 法2条1項・法3条, 施行令1条, 施行規則.

Who may join depends on the position held and, for the business, on the regular headcount of its
industry (20 for 工業・建設・運輸・不動産・農業 and 宿泊業・娯楽業; 5 for 商業 and other サービス業; 5 for
士業法人). The headcount is judged at enrolment only. 法3条3項・4項 and the 省令 exclude current
holders, holders cancelled by the operator within a year, 中退共 被共済者 (from 2011-01), and the
people SMRJ lists as not running a business themselves (E12).
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kyosai.rules.calendar import add_months
from kyosai.rules.decision import Checks, Decision
from kyosai.rules.errors import RuleError
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer


class Position(StrEnum):
    SOLE_PROPRIETOR = "sole_proprietor"  # 個人事業主 (法2条1項1〜3号)
    CO_MANAGER = "co_manager"  # 共同経営者 (4号)
    COMPANY_OFFICER = "company_officer"  # 会社の役員: 取締役・監査役・業務執行社員 (5〜7号)
    KIGYO_KUMIAI_OFFICER = "kigyo_kumiai_officer"  # 企業組合の理事・監事 (8号, 令1条2項)
    KYOGYO_KUMIAI_OFFICER = "kyogyo_kumiai_officer"  # 協業組合の理事・監事 (8号, 令1条2項)
    FARM_CORPORATION_OFFICER = "farm_corporation_officer"  # 農事組合法人の理事・監事 (令1条2項)
    PROFESSIONAL_PARTNER = "professional_partner"  # 士業法人の社員
    NONPROFIT_OFFICER = "nonprofit_officer"  # 医療法人・学校法人・社会福祉法人・NPO・宗教法人の役員
    FAMILY_WORKER = "family_worker"  # 家族専従者・従業員


class Industry(StrEnum):
    """Rows of `employee_limit.yaml` for a business (法2条1項1〜3号, 令1条1項)."""

    CONSTRUCTION = "construction"
    MANUFACTURING = "manufacturing"
    TRANSPORT = "transport"
    REAL_ESTATE = "real_estate"
    AGRICULTURE = "agriculture"
    OTHER_INDUSTRY = "other_industry"
    ACCOMMODATION = "accommodation"
    ENTERTAINMENT = "entertainment"
    WHOLESALE = "wholesale"
    RETAIL = "retail"
    SERVICES = "services"


_BODY_GROUP = {
    Position.KIGYO_KUMIAI_OFFICER: "kigyo_kumiai",
    Position.KYOGYO_KUMIAI_OFFICER: "kyogyo_kumiai",
    Position.FARM_CORPORATION_OFFICER: "farm_corporation",
    Position.PROFESSIONAL_PARTNER: "professional_corporation",
}
_EXCLUDED_POSITION = {
    Position.NONPROFIT_OFFICER: (
        "nonprofit_officer",
        "医療法人・学校法人・社会福祉法人・NPO法人・宗教法人など、営利を目的としない法人の役員は加入できません。",
    ),
    Position.FAMILY_WORKER: (
        "family_worker",
        "家族専従者や従業員は加入できません（事業主や役員の方が対象です）。",
    ),
}


@dataclass(frozen=True)
class Applicant:
    """The facts at enrolment. Counts are 常時使用する従業員 (family, temporary, dispatched and
    contract staff and up to two 共同経営者 are not counted, E6); for a 企業組合 the members
    engaged in its business."""

    position: Position
    regular_employees: int
    industry: Industry | None = None  # the business's industry (not needed for 組合・士業法人)
    co_managers_already: int = 0  # other 共同経営者 of the same 事業主 already in the scheme
    co_manager_decides_or_funds: bool = False  # 重要な業務執行の決定に関与 or 出資
    co_manager_paid: bool = False  # receives pay for running the business
    registered_officer: bool = True  # registered 役員 / 業務執行社員 (合名・合資・合同会社)
    # 農事組合法人 doing 農協法72条の10第1項2号 business, mainly farming
    farm_corporation_type2: bool = True
    current_contract_holder: bool = False  # already a 共済契約者 without an A/B event (法3条3項)
    operator_cancelled_on: dt.date | None = None  # last 機構解約 (法7条2項)
    retirement_scheme_member: bool = False  # 中小企業退職金共済 etc. 被共済者
    salaried: bool = False  # 給与所得者 running a side business
    employed_insurance_agent: bool = False  # 生命保険外務員 employed on fixed pay
    fulltime_high_school_student: bool = False

    def __post_init__(self) -> None:
        if self.regular_employees < 0 or self.co_managers_already < 0:
            raise RuleError("人数に負の値は使えません", "headcounts must be >= 0")
        needs_industry = self.position in (
            Position.SOLE_PROPRIETOR,
            Position.CO_MANAGER,
            Position.COMPANY_OFFICER,
        )
        if needs_industry and self.industry is None:
            raise RuleError(
                "事業の業種を指定してください", "industry is required for this position"
            )


def check_eligibility(
    applicant: Applicant, *, on: dt.date, params: ParameterSet | None = None
) -> Decision:
    """Whether `applicant` may become a 共済契約者 on `on` (the enrolment date)."""
    a = applicant
    t = Explainer(
        "小規模企業共済 加入資格",
        {
            "加入日": on,
            "立場": a.position.value,
            "業種": a.industry.value if a.industry else "—",
            "常時使用する従業員数": a.regular_employees,
        },
        params,
    )
    checks = Checks(t)
    excluded = _EXCLUDED_POSITION.get(a.position)
    if excluded:
        checks.require(False, "加入できる立場", *excluded)
        return checks.decision("加入資格")
    _headcount(checks, a, on)
    if a.position == Position.CO_MANAGER:
        _co_manager(checks, a, on)
    if a.position == Position.FARM_CORPORATION_OFFICER:
        checks.require(
            a.farm_corporation_type2,
            "農業を主とする2号農事組合法人",
            "farm_corporation_not_type2",
            "農事組合法人の役員は、農業を主に営む2号法人の場合に限り加入できます。",
        )
    if a.position == Position.COMPANY_OFFICER:
        checks.require(
            a.registered_officer,
            "登記された役員・業務執行社員",
            "unregistered_member",
            "業務執行社員として登記されていない社員は加入できません。",
        )
    _exclusions(checks, a, on)
    return checks.decision("加入資格")


def _headcount(checks: Checks, a: Applicant, on: dt.date) -> None:
    group = _BODY_GROUP.get(a.position) or str(a.industry)
    limit = checks.t.row_where("shokibo/employee_limit", on, "group", group).count("limit")
    checks.require(
        a.regular_employees <= limit,
        f"従業員{limit}人以下（{group}）",
        "too_many_employees",
        f"常時使用する従業員が{limit}人以下である必要があります（加入時に{a.regular_employees}人）。",
    )


def _co_manager(checks: Checks, a: Applicant, on: dt.date) -> None:
    limit = checks.t.count("shokibo/co_manager_limit", on)
    checks.require(
        a.co_managers_already < limit,
        f"共同経営者は事業主1人につき{limit}人まで",
        "co_manager_limit",
        f"共同経営者として加入できるのは事業主1人につき{limit}人までです。",
    )
    checks.require(
        a.co_manager_decides_or_funds and a.co_manager_paid,
        "経営に携わり報酬を受けている",
        "co_manager_not_managing",
        "共同経営者は、重要な業務の決定に関わるか事業資金を出していて、かつ報酬を受けている必要があります。",
    )


def _exclusions(checks: Checks, a: Applicant, on: dt.date) -> None:
    t = checks.t
    checks.require(
        not a.current_contract_holder,
        "現在の共済契約者でない",
        "already_contract_holder",
        "すでに小規模企業共済に加入しています（1人1契約です）。",
    )
    if a.operator_cancelled_on is not None:
        months = t.count("shokibo/operator_cancellation_refusal_months", on)
        refused_until = add_months(a.operator_cancelled_on, months)
        checks.require(
            on >= refused_until,
            f"機構解約から{months}か月経過",
            "operator_cancellation_within_year",
            f"機構による解約から1年を経過していないため加入できません（{refused_until.isoformat()}から可）。",
        )
    exclusion_from = t.date("shokibo/retirement_scheme_exclusion_from", on)
    checks.require(
        not (a.retirement_scheme_member and on >= exclusion_from),
        "中小企業退職金共済の被共済者でない",
        "retirement_scheme_member",
        "中小企業退職金共済（中退共）などの被共済者は加入できません。",
    )
    checks.require(
        not a.salaried,
        "給与所得者でない",
        "salaried",
        "会社などから給与を受けている方は、副業の事業があっても加入できません。",
    )
    checks.require(
        not a.employed_insurance_agent,
        "雇用された保険外務員でない",
        "employed_insurance_agent",
        "保険会社に雇用されている外務員は加入できません。",
    )
    checks.require(
        not a.fulltime_high_school_student,
        "全日制の高校生でない",
        "fulltime_high_school_student",
        "全日制の高校に在学中の方は加入できません。",
    )
