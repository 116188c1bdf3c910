"""Party rows → the facts each scheme's eligibility rules take."""

from kyosai.parties.models import Industry, IndustryDetail, Party
from kyosai.rules.shokibo import eligibility as shokibo
from kyosai.rules.tosan import eligibility as tosan

_TOSAN_SPECIAL = {
    IndustryDetail.RUBBER_PRODUCTS: tosan.Industry.RUBBER_PRODUCTS,
    IndustryDetail.SOFTWARE_IT: tosan.Industry.SOFTWARE_IT,
    IndustryDetail.ACCOMMODATION: tosan.Industry.INN,
}
_TOSAN_BY_CLASS = {
    Industry.WHOLESALE: tosan.Industry.WHOLESALE,
    Industry.RETAIL: tosan.Industry.RETAIL,
    Industry.SERVICE: tosan.Industry.SERVICE,
}
_SHOKIBO_SPECIAL = {
    IndustryDetail.ACCOMMODATION: shokibo.Industry.ACCOMMODATION,
    IndustryDetail.ENTERTAINMENT: shokibo.Industry.ENTERTAINMENT,
    IndustryDetail.REAL_ESTATE: shokibo.Industry.REAL_ESTATE,
    IndustryDetail.AGRICULTURE: shokibo.Industry.AGRICULTURE,
}
_SHOKIBO_BY_CLASS = {
    Industry.CONSTRUCTION: shokibo.Industry.CONSTRUCTION,
    Industry.MANUFACTURING: shokibo.Industry.MANUFACTURING,
    Industry.WHOLESALE: shokibo.Industry.WHOLESALE,
    Industry.RETAIL: shokibo.Industry.RETAIL,
    Industry.TRANSPORT: shokibo.Industry.TRANSPORT,
    Industry.SERVICE: shokibo.Industry.SERVICES,
    Industry.OTHER: shokibo.Industry.OTHER_INDUSTRY,
}


def tosan_applicant(party: Party) -> tosan.Applicant:
    industry = _TOSAN_SPECIAL.get(IndustryDetail(party.industry_detail)) or _TOSAN_BY_CLASS.get(
        Industry(party.industry),
        tosan.Industry.MANUFACTURING,  # 製造業・建設業・運輸業その他
    )
    return tosan.Applicant(
        organisation=tosan.Organisation(party.organisation),
        industry=industry,
        capital_yen=party.capital_yen,
        employees=party.employees,
        business_started_on=party.business_started_on,
    )


def shokibo_applicant(party: Party, position: shokibo.Position) -> shokibo.Applicant:
    industry = (
        _SHOKIBO_SPECIAL.get(IndustryDetail(party.industry_detail))
        or (_SHOKIBO_BY_CLASS[Industry(party.industry)])
    )
    return shokibo.Applicant(
        position=position, regular_employees=party.employees, industry=industry
    )
