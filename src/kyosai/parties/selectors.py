"""Staff reads of members: search, and a member's record (party, contracts, procedures).

A staff view of a member's personal data is audited: `access_…_for_staff` write the
`party.view` row themselves, so a page cannot show the record and forget the audit.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kyosai.contracts.models import Contract, DebitMandate, PremiumTerm
from kyosai.core.audit import Actor, record, signed_in
from kyosai.formats.identifiers import CONTRACT_NUMBER_LENGTH, CORPORATE_NUMBER_LENGTH
from kyosai.formats.kana import digits, normalize_text, to_furigana
from kyosai.parties.models import Party
from kyosai.procedures.models import Procedure
from kyosai.rules.errors import RuleError

# Fewer digits than this are not looked up as a phone number (they would match nearly everyone).
PHONE_MIN_DIGITS = 4
ACCOUNT_DIGITS_SHOWN = 3


def search_members(query: str) -> QuerySet[Party]:
    """Members whose name or フリガナ contains `query`, or whose 共済契約者番号, 法人番号 or phone
    number it is. Kana in either script and width, full-width digits and hyphens are accepted.
    An empty query finds nobody: the console never lists every member."""
    text = normalize_text(query)
    if not text:
        return Party.objects.none()
    found = Q(name__icontains=text) | Q(representative_name__icontains=text)
    try:
        kana = to_furigana(text)
    except RuleError:
        pass  # not kana: searched as a name or a number only
    else:
        for reading in {kana, kana.replace(" ", "")}:
            found |= Q(name_kana__contains=reading) | Q(representative_kana__contains=reading)
    try:
        number = digits(text, label_ja="番号")
    except RuleError:
        pass  # not a number
    else:
        if len(number) == CONTRACT_NUMBER_LENGTH:
            found |= Q(contracts__number=number)
        if len(number) == CORPORATE_NUMBER_LENGTH:
            found |= Q(corporate_number=number)
        if len(number) >= PHONE_MIN_DIGITS:
            found |= Q(phone__contains=number)
    ids = Party.objects.filter(found).values("pk")
    return (
        Party.objects.filter(pk__in=ids).prefetch_related("contracts").order_by("name_kana", "pk")
    )


@dataclass(frozen=True)
class MemberRecord:
    party: Party
    contracts: QuerySet[Contract]  # annotated with current_monthly_yen
    procedures: QuerySet[Procedure]


@dataclass(frozen=True)
class MaskedMandate:
    """A 口座振替 mandate as staff see it: the account number hidden but for its last digits."""

    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    holder_kana: str
    valid_from: date


@dataclass(frozen=True)
class ContractRecord:
    contract: Contract
    current_monthly_yen: int | None
    premium_terms: QuerySet[PremiumTerm]
    mandates: list[MaskedMandate]
    procedures: QuerySet[Procedure]


def mask_account_number(number: str) -> str:
    """'1234567' → '****567'."""
    hidden = max(len(number) - ACCOUNT_DIGITS_SHOWN, 0)
    return "*" * hidden + number[hidden:]


def _current_monthly_yen(on: date) -> Subquery:
    return Subquery(
        PremiumTerm.objects.filter(contract=OuterRef("pk"), valid_from_month__lte=on)
        .order_by("-valid_from_month")
        .values("monthly_yen")[:1]
    )


def access_member_for_staff(viewer: Actor, pk: int) -> MemberRecord:
    """Member `pk` with their contracts and procedures (404 if there is none); audited."""
    party = get_object_or_404(Party, pk=pk)
    record("party.view", party, actor=viewer, via="member")
    contracts = (
        party.contracts.select_related("handling_agency")
        .annotate(current_monthly_yen=_current_monthly_yen(timezone.localdate()))
        .order_by("scheme", "number")
    )
    procedures = party.procedures.select_related("contract").order_by("-received_at", "-pk")
    return MemberRecord(party=party, contracts=contracts, procedures=procedures)


def access_contract_for_staff(viewer: Actor, pk: int) -> ContractRecord:
    """Contract `pk` with its premium history, mandates and procedures (404 if there is none);
    audited as a view of its holder's personal data."""
    contract = get_object_or_404(
        Contract.objects.select_related("party", "handling_agency").annotate(
            current_monthly_yen=_current_monthly_yen(timezone.localdate())
        ),
        pk=pk,
    )
    record("party.view", contract.party, actor=viewer, via="contract", contract=contract.pk)
    mandates: list[DebitMandate] = list(contract.mandates.all())
    return ContractRecord(
        contract=contract,
        current_monthly_yen=contract.current_monthly_yen,  # type: ignore[attr-defined]
        premium_terms=contract.premium_terms.order_by("valid_from_month"),
        mandates=[
            MaskedMandate(
                bank_code=m.bank_code,
                branch_code=m.branch_code,
                account_type=m.get_account_type_display(),
                account_number=mask_account_number(m.account_number),
                holder_kana=m.holder_kana,
                valid_from=m.valid_from,
            )
            for m in mandates
        ],
        procedures=contract.procedures.order_by("-received_at", "-pk"),
    )


def party_for(user: Actor) -> Party:
    """The member's own party (404 before they have applied: there is nothing to change yet)."""
    member = signed_in(user)
    if member is None:
        raise Http404
    return get_object_or_404(Party, user=member)
