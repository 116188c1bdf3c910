"""A settled paper form → the enrollment application, or its 不備 (what the applicant must fix).

The checks are the common mistakes the operator lists for the paper 契約申込書 (seed 001, 「契約申込書
記入時の留意事項」 of both schemes) and then the enrollment's own automatic checks
(`procedures.actions.check_enrollment`: the premium, the bank account). A row is reported in full:
every field that is wrong, not only the first, so that one letter asks for everything.

Eligibility (too many employees, too new a business) is not a 不備: the applicant cannot fix it
on the form, so such a row is submitted and the enrollment action sends it to staff review.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import jaconv

from kyosai.formats.identifiers import validate_account_number, validate_corporate_number
from kyosai.formats.kana import digits, normalize_text, to_bank_kana, to_furigana
from kyosai.parties.models import Industry, IndustryDetail, Party
from kyosai.procedures.actions import (
    EnrollmentApplication,
    MandateFacts,
    PartyFacts,
    check_enrollment,
)
from kyosai.reference.postal import lookup
from kyosai.reference.regions import prefecture_code
from kyosai.rules.errors import RuleError
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.eligibility import Position
from kyosai.rules.tosan.eligibility import ORGANISATION_LABEL, Organisation

T = TypeVar("T")

# The labels of the form's fields, for the 不備 letter and the staff pages.
FIELD_LABEL = {
    "kind": "個人・法人の別",
    "position": "事業上の地位",
    "organisation": "法人の種類",
    "corporate_number": "法人番号",
    "company_name": "屋号または社名",
    "name": "氏名",
    "name_kana": "フリガナ",
    "postal_code": "郵便番号",
    "address": "事業主・会社等の住所",
    "phone": "電話番号",
    "industry": "業種",
    "employees": "常時使用する従業員数",
    "capital_yen": "資本金",
    "business_started": "開業年月",
    "monthly_yen": "掛金月額",
    "bank_code": "金融機関コード",
    "branch_code": "支店コード",
    "account_type": "預金種目",
    "account_number": "口座番号",
    "holder_kana": "口座名義（カナ）",
}

KINDS = {"個人": Party.Kind.INDIVIDUAL, "法人": Party.Kind.CORPORATION}
# 事業上の地位 as circled on the 小規模企業共済 form.
POSITIONS = {
    "個人事業主": Position.SOLE_PROPRIETOR,
    "共同経営者": Position.CO_MANAGER,
    "会社役員": Position.COMPANY_OFFICER,
    "企業組合役員": Position.KIGYO_KUMIAI_OFFICER,
    "協業組合役員": Position.KYOGYO_KUMIAI_OFFICER,
    "農事組合法人役員": Position.FARM_CORPORATION_OFFICER,
    "士業法人社員": Position.PROFESSIONAL_PARTNER,
}
ORGANISATIONS = {
    label: o for o, label in ORGANISATION_LABEL.items() if o != Organisation.SOLE_PROPRIETOR
}
ACCOUNT_TYPES = {"普通": "1", "当座": "2", "1": "1", "2": "2"}
INDUSTRY_CLASSES = {label: value for value, label in Industry.choices}
INDUSTRY_DETAILS = {label: value for value, label in IndustryDetail.choices if value}

# seed 001 §7: 「業種」 asks for the concrete business (「食料品卸」「飲食店」「衣服製造」「内装工事」
# 「コンビニ」); the classes of its 業種記入例 table (卸売業, 小売業, サービス業, …) are what the
# operator sorts them into, so a form that gives only a class has not said what the business is.
VAGUE_INDUSTRIES = frozenset(
    {
        "卸売",
        "小売",
        "サービス",
        "農林水産",
        "鉱業",
        "採石",
        "鉱業・採石",
        "建設",
        "製造",
        "運輸",
        "通信",
        "運輸・通信",
        "その他",
    }
)
# seed 001 (経営セーフティ共済の留意事項): 「法人格の略号は使用せずに記入してください。(例) (資)⇒合資会社」.
# NFKC has already turned ㈱ into (株).
_ABBREVIATED_ENTITY = re.compile(r"\((株|有|資|名|合|同|医|社|財)\)")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_ERA_YEAR_MONTH = re.compile(r"(令和|平成|昭和|R|H|S)\s*(\d{1,2}|元)\s*[-/.年]\s*(\d{1,2})\s*月?")
_ERA_START = {"令和": 2019, "R": 2019, "平成": 1989, "H": 1989, "昭和": 1926, "S": 1926}
_KEYING_NOISE = re.compile(r"[\s\-‐－]")


@dataclass(frozen=True)
class Deficiency:
    field: str
    code: str
    message: str  # Japanese, for the applicant's letter


@dataclass(frozen=True)
class Examined:
    application: EnrollmentApplication | None  # None when there is any 不備
    deficiencies: tuple[Deficiency, ...]


def comparable(value: str) -> str:
    """What two keyings of a field must agree on: width, kana, spaces and hyphens do not count."""
    return str(jaconv.hira2kata(_KEYING_NOISE.sub("", normalize_text(value))))


def examine(
    scheme: Scheme,
    values: dict[str, str],
    *,
    industry_class: str,
    industry_detail: str,
    on: dt.date,
) -> Examined:
    """Every 不備 of a settled form received on `on`, or the application it makes."""
    form = _Form({k: normalize_text(v) for k, v in values.items()})
    kind = form.choice("kind", KINDS, "「個人」か「法人」")
    corporation = kind == Party.Kind.CORPORATION
    position = ""
    if scheme == Scheme.SHOKIBO:
        # seed 001 §10: 「事業上の地位」の○付けを忘れがちです。
        chosen = form.choice(
            "position",
            POSITIONS,
            "「個人事業主」「会社役員」など",
            missing="「事業上の地位」に○が付いていません。あてはまるもの一つに○を付けてください。",
        )
        position = chosen.value if chosen else ""
    company_name = form.text("company_name")
    organisation, corporate_number, capital = None, None, None
    if corporation:
        organisation = form.choice("organisation", ORGANISATIONS, "「会社」「企業組合」など")
        corporate_number = form.parse("corporate_number", validate_corporate_number)
        capital = form.whole("capital_yen", "資本金が記入されていません。")
        if not company_name:
            # seed 001 §11: 法人役員の場合は「会社名」を忘れずにご記入ください。
            form.fail(
                "company_name",
                "company_name_missing",
                "会社名（登記上の名称）が記入されていません。",
            )
        elif _ABBREVIATED_ENTITY.search(company_name):
            form.fail(
                "company_name",
                "company_name_abbreviated",
                "法人格は略さずに記入してください（例：(株)⇒株式会社、(資)⇒合資会社）。",
            )
    name = form.required("name", "氏名が記入されていません。")
    name_kana = form.parse("name_kana", to_furigana)
    postal = form.parse("postal_code", lookup)
    address = form.text("address")
    if not address:
        # seed 001 §11: 会社所在地の記入モレも少なくありません。
        form.fail(
            "address",
            "address_missing",
            "事業所（会社）の所在地が記入されていません（個人事業主は事業所の所在地、"
            "共同経営者は事業主の住所）。",
        )
    phone = form.parse(
        "phone", lambda v: digits(v, min_length=10, max_length=11, label_ja="電話番号")
    )
    industry = form.text("industry")
    if not industry:
        # seed 001 §7: 「業種」の記載モレにご注意を!
        form.fail(
            "industry",
            "industry_missing",
            "業種が記入されていません。「食料品卸」「飲食店」「内装工事」のように具体的な事業内容を"
            "記入してください。",
        )
    elif industry.removesuffix("業") in VAGUE_INDUSTRIES:
        form.fail(
            "industry",
            "industry_vague",
            f"業種「{industry}」では事業内容がわかりません。「食料品卸」「飲食店」「内装工事」の"
            "ように具体的な事業内容を記入してください。",
        )
    # seed 001 §8: 従業員がいない場合は、空欄ではなく、必ず「0」(ゼロ)をご記入ください。
    employees = form.whole(
        "employees",
        "常時使用する従業員数が空欄です。従業員がいない場合も「0」と記入してください。",
        missing_code="employees_blank",
    )
    if not form.text("business_started"):
        # seed 001 §9: 「開業年月」の記載モレにご注意を!
        form.fail(
            "business_started",
            "business_started_missing",
            "開業年月が記入されていません（個人事業主は開業届の年月、法人役員は登記上の役員就任"
            "年月、共同経営者は共同経営契約書の日付）。",
        )
    started = form.parse("business_started", _year_month)
    # seed 001 (経営セーフティ共済) §14: 掛金月額 必ずご記入ください。
    monthly = form.whole("monthly_yen", "掛金月額が記入されていません。")
    bank_code = form.parse("bank_code", lambda v: digits(v, length=4, label_ja="金融機関コード"))
    branch_code = form.parse("branch_code", lambda v: digits(v, length=3, label_ja="支店コード"))
    account_type = form.choice("account_type", ACCOUNT_TYPES, "「普通」か「当座」")
    account_number = form.parse("account_number", validate_account_number)
    holder = form.parse("holder_kana", lambda v: to_bank_kana(to_furigana(v), 30))
    if form.deficiencies:
        return Examined(None, tuple(form.deficiencies))

    # Every value was read: none of these is None any more.
    assert kind and name_kana and postal and phone and started and employees is not None
    assert monthly is not None and bank_code and branch_code and account_type
    assert account_number and holder
    prefecture = postal[0].prefecture
    party = PartyFacts(
        kind=kind,
        organisation=organisation or Organisation.SOLE_PROPRIETOR.value,
        name=company_name if corporation else name,
        name_kana=name_kana,
        corporate_number=corporate_number,
        representative_name=name if corporation else "",
        postal_code=postal[0].postal_code,
        prefecture_code=prefecture_code(prefecture),
        address=address if address.startswith(prefecture) else f"{prefecture}{address}",
        phone=phone,
        industry=INDUSTRY_CLASSES[industry_class],
        industry_detail=INDUSTRY_DETAILS.get(industry_detail, ""),
        employees=employees,
        capital_yen=capital,
        business_started_on=started,
    )
    mandate = MandateFacts(bank_code, branch_code, account_type, account_number, holder)
    application = EnrollmentApplication(scheme, party, monthly, mandate, position)
    # The enrollment's own checks a member fixes (the premium, the account) are 不備 here too.
    fixable = [c for c in check_enrollment(application, on=on) if not c.passed and c.fixable]
    field_of = {"premium": "monthly_yen", "mandate": "bank_code"}
    found = tuple(Deficiency(field_of[c.name], c.name, c.detail) for c in fixable)
    return Examined(None if found else application, found)


class _Form:
    """The values of one form and the 不備 found in them so far (at most one per field)."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.deficiencies: list[Deficiency] = []
        self.failed: set[str] = set()

    def text(self, field: str) -> str:
        return self.values.get(field, "")

    def fail(self, field: str, code: str, message: str) -> None:
        if field not in self.failed:
            self.failed.add(field)
            self.deficiencies.append(Deficiency(field, code, message))

    def required(self, field: str, missing: str) -> str:
        value = self.text(field)
        if not value:
            self.fail(field, f"{field}_missing", missing)
        return value

    def parse(self, field: str, read: Callable[[str], T]) -> T | None:
        """`read` the field; its RuleError (a blank value included) becomes the 不備."""
        if field in self.failed:
            return None
        try:
            return read(self.text(field))
        except RuleError as exc:
            code = "missing" if not self.text(field) else "invalid"
            self.fail(field, f"{field}_{code}", f"{exc.message_ja.removesuffix('。')}。")
            return None

    def choice(
        self, field: str, choices: dict[str, T], expected: str, *, missing: str = ""
    ) -> T | None:
        value = self.text(field)
        if value in choices:
            return choices[value]
        label = FIELD_LABEL[field]
        if value:
            self.fail(field, f"{field}_invalid", f"{label}「{value}」が読めません（{expected}）。")
        else:
            missing = missing or f"{label}が記入されていません（{expected}）。"
            self.fail(field, f"{field}_missing", missing)
        return None

    def whole(self, field: str, missing: str, *, missing_code: str = "") -> int | None:
        """A whole number written with or without commas and 円; blank → `missing`."""
        if field in self.failed:
            return None
        value = self.text(field).replace(",", "").removesuffix("円")
        if not value:
            self.fail(field, missing_code or f"{field}_missing", missing)
            return None
        if not value.isascii() or not value.isdigit():
            self.fail(
                field,
                f"{field}_invalid",
                f"{FIELD_LABEL[field]}「{self.text(field)}」は数字で記入してください。",
            )
            return None
        return int(value)


def _year_month(text: str) -> dt.date:
    """開業年月 as written: 2020-04, 2020年4月, 令和2年4月, R2.4 (the first of the month)."""
    if match := _YEAR_MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
    elif match := _ERA_YEAR_MONTH.fullmatch(text):
        era_year = 1 if match[2] == "元" else int(match[2])
        year, month = _ERA_START[match[1]] + era_year - 1, int(match[3])
    else:
        raise RuleError(
            f"開業年月「{text}」が読めません（例：令和2年4月、2020年4月）",
            f"business start {text!r} is not a year and month",
        )
    if not 1 <= month <= 12:
        raise RuleError(f"開業年月「{text}」の月が正しくありません", f"month {month} in {text!r}")
    return dt.date(year, month, 1)
