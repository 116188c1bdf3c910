"""The examination of one settled form (intake.checks): the seed's mistakes in their variants,
what a paper form may write, and what two keyings must agree on."""

import datetime as dt

import pytest

from kyosai.intake.checks import comparable, examine
from kyosai.rules.scheme import Scheme

ON = dt.date(2026, 11, 20)
SOLE = {
    "kind": "個人", "position": "個人事業主", "organisation": "", "corporate_number": "",
    "company_name": "", "name": "山田花子", "name_kana": "ヤマダハナコ", "postal_code": "1050011",
    "address": "港区芝公園1-1-1", "phone": "0312345678", "industry": "酒小売", "employees": "3",
    "capital_yen": "", "business_started": "2020-04", "monthly_yen": "30000", "bank_code": "0001",
    "branch_code": "001", "account_type": "普通", "account_number": "1234567",
    "holder_kana": "ヤマダハナコ",
}  # fmt: skip


def codes(scheme: Scheme = Scheme.SHOKIBO, **changes: str) -> list[tuple[str, str]]:
    examined = examine(
        scheme, {**SOLE, **changes}, industry_class="小売業", industry_detail="", on=ON
    )
    return [(d.field, d.code) for d in examined.deficiencies]


def test_a_clean_form_makes_the_application_with_the_prefecture_before_the_address() -> None:
    examined = examine(Scheme.SHOKIBO, SOLE, industry_class="小売業", industry_detail="", on=ON)
    assert examined.deficiencies == ()
    assert examined.application is not None
    party = examined.application.party
    assert party.address == "東京都港区芝公園1-1-1" and party.prefecture_code == "13"
    assert party.industry == "retail" and party.business_started_on == dt.date(2020, 4, 1)
    assert examined.application.mandate.holder_kana == "ﾔﾏﾀﾞﾊﾅｺ"


@pytest.mark.parametrize("written", ["サービス業", "サービス", "製造", "その他", "小売業"])
def test_only_a_class_is_a_vague_industry_seed_001_s7(written: str) -> None:
    assert codes(industry=written) == [("industry", "industry_vague")]


@pytest.mark.parametrize("written", ["食料品卸", "内装工事", "コンビニ", "衣服製造"])
def test_the_seeds_examples_of_a_concrete_business_pass(written: str) -> None:
    assert codes(industry=written) == []


@pytest.mark.parametrize(
    ("written", "month"),
    [("令和2年4月", dt.date(2020, 4, 1)), ("R2.4", dt.date(2020, 4, 1)),
     ("平成元年1月", dt.date(1989, 1, 1)), ("２０１５年１２月", dt.date(2015, 12, 1))],
)  # fmt: skip
def test_kaigyo_nengetsu_as_people_write_it(written: str, month: dt.date) -> None:
    examined = examine(
        Scheme.SHOKIBO, {**SOLE, "business_started": written}, industry_class="小売業",
        industry_detail="", on=ON,
    )  # fmt: skip
    assert examined.application is not None
    assert examined.application.party.business_started_on == month


def test_unreadable_values_name_the_field() -> None:
    assert codes(business_started="昔", employees="三人", account_type="貯蓄") == [
        ("employees", "employees_invalid"),
        ("business_started", "business_started_invalid"),
        ("account_type", "account_type_invalid"),
    ]


def test_a_zero_employees_passes_where_a_blank_does_not_seed_001_s8() -> None:
    assert codes(employees="0") == [] and codes(employees="０") == []
    assert codes(employees="") == [("employees", "employees_blank")]


def test_an_abbreviated_legal_form_in_either_spelling_seed_001_tosan() -> None:
    corporation = {
        "kind": "法人", "organisation": "会社", "corporate_number": "7000012050002",
        "capital_yen": "1000000", "position": "",
    }  # fmt: skip
    for name in ("㈱さくら", "(有)さくら", "さくら（資）"):
        assert codes(Scheme.TOSAN, company_name=name, **corporation) == [
            ("company_name", "company_name_abbreviated")
        ]
    assert codes(Scheme.TOSAN, company_name="株式会社さくら", **corporation) == []


def test_two_keyings_agree_across_width_kana_spaces_and_hyphens() -> None:
    assert comparable("03-1234-5678") == comparable("０３１２３４５６７８")
    assert comparable("やまだ はなこ") == comparable("ヤマダハナコ")
    assert comparable("O") != comparable("0")
