"""Portal forms: parse and normalise what a member types; every error is Japanese, per field.

Full-width digits, hyphens and either width of kana are accepted and normalised (NFKC); the
business rules (eligibility, premium range, bank codes) are checked by the actions, not here.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from kyosai.contracts.models import DebitMandate
from kyosai.formats.identifiers import validate_account_number, validate_corporate_number
from kyosai.formats.kana import digits, normalize_text, to_bank_kana, to_furigana
from kyosai.loans.actions import AttachmentFile, KyosaikinLoanRequest
from kyosai.parties.models import Industry, IndustryDetail, Party
from kyosai.procedures.actions import EnrollmentApplication, MandateFacts, PartyFacts
from kyosai.procedures.changes import PartyChange
from kyosai.reference.postal import lookup
from kyosai.reference.regions import prefecture_code
from kyosai.rules.errors import RuleError
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.eligibility import Position
from kyosai.rules.tosan.eligibility import ORGANISATION_LABEL, Organisation
from kyosai.rules.tosan.loans import EVENT_LABEL, InsolvencyEvent

POSITION_LABEL = {
    Position.SOLE_PROPRIETOR: "個人事業主",
    Position.CO_MANAGER: "共同経営者",
    Position.COMPANY_OFFICER: "会社の役員（取締役・監査役・業務執行社員）",
    Position.KIGYO_KUMIAI_OFFICER: "企業組合の役員",
    Position.KYOGYO_KUMIAI_OFFICER: "協業組合の役員",
    Position.FARM_CORPORATION_OFFICER: "農事組合法人の役員",
    Position.PROFESSIONAL_PARTNER: "士業法人の社員",
}
T = TypeVar("T")

CORPORATE_ORGANISATIONS = [
    (o.value, ORGANISATION_LABEL[o]) for o in Organisation if o != Organisation.SOLE_PROPRIETOR
]


def _field(clean: Callable[[str], T], value: str) -> T:
    """Run a normaliser; its RuleError becomes the form field's error message."""
    try:
        return clean(value)
    except RuleError as exc:
        raise forms.ValidationError(exc.message_ja) from None


class WholeNumberField(forms.IntegerField):
    """A number typed as text: full-width digits and commas (５０，０００) are accepted.

    A type="number" input would refuse what a Japanese IME types, so the phone gets a numeric
    keypad through inputmode instead.
    """

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        text = normalize_text(str(value or "")).replace(",", "")
        return super().to_python(text)


class NormalisedEmailField(forms.EmailField):
    """Full-width letters and capitals are folded before the address is validated."""

    def to_python(self, value: Any) -> str:
        return normalize_text(str(super().to_python(value))).lower()


class SignUpForm(UserCreationForm):  # type: ignore[type-arg]  # generic only in the stubs
    """A member account: the e-mail address is the login name."""

    email = NormalisedEmailField(label="メールアドレス", max_length=150)

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if User.objects.filter(username=email).exists():
            raise forms.ValidationError("このメールアドレスはすでに登録されています。")
        return email

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.username = user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class ContactForm(forms.Form):
    """The holder's name, address and phone, as the enrollment and the change forms ask them."""

    name = forms.CharField(label="事業者名（個人の方は氏名）", max_length=100)
    name_kana = forms.CharField(
        label="フリガナ", max_length=100, help_text="ひらがな・カタカナどちらでも入力できます"
    )
    representative_name = forms.CharField(label="代表者名", max_length=100, required=False)
    postal_code = forms.CharField(label="郵便番号", max_length=10, help_text="例: 105-0011")
    address = forms.CharField(label="住所（市区町村以降）", max_length=200)
    phone = forms.CharField(label="電話番号", max_length=20)

    def clean_name_kana(self) -> str:
        return _field(to_furigana, self.cleaned_data["name_kana"])

    def clean_postal_code(self) -> str:
        # The prefecture and city come from the postal code; the member types only the rest.
        self.postal_addresses = _field(lookup, self.cleaned_data["postal_code"])
        return self.postal_addresses[0].postal_code

    def clean_phone(self) -> str:
        return _field(
            lambda v: digits(v, min_length=10, max_length=11, label_ja="電話番号"),
            self.cleaned_data["phone"],
        )

    def address_text(self) -> str:
        """The full address: prefecture and city from the postal code, then what was typed."""
        found = self.postal_addresses[0]
        return f"{found.prefecture}{found.city}{normalize_text(self.cleaned_data['address'])}"


class MandateForm(forms.Form):
    """口座振替: the account premiums are debited from."""

    bank_code = forms.CharField(label="金融機関コード（4桁）", max_length=8)
    branch_code = forms.CharField(label="支店コード（3桁）", max_length=8)
    account_type = forms.ChoiceField(
        label="預金種目", choices=DebitMandate.AccountType.choices, widget=forms.RadioSelect
    )
    account_number = forms.CharField(label="口座番号（7桁まで）", max_length=12)
    holder_kana = forms.CharField(label="口座名義（カナ）", max_length=60)

    def clean_bank_code(self) -> str:
        return _field(
            lambda v: digits(v, length=4, label_ja="金融機関コード"), self.cleaned_data["bank_code"]
        )

    def clean_branch_code(self) -> str:
        return _field(
            lambda v: digits(v, length=3, label_ja="支店コード"), self.cleaned_data["branch_code"]
        )

    def clean_account_number(self) -> str:
        return _field(validate_account_number, self.cleaned_data["account_number"])

    def clean_holder_kana(self) -> str:
        # Typed as フリガナ (either kana, either width), sent to the bank as half-width 全銀 kana.
        return _field(lambda v: to_bank_kana(to_furigana(v), 30), self.cleaned_data["holder_kana"])

    def mandate(self) -> MandateFacts:
        data = self.cleaned_data
        return MandateFacts(
            bank_code=data["bank_code"],
            branch_code=data["branch_code"],
            account_type=data["account_type"],
            account_number=data["account_number"],
            holder_kana=data["holder_kana"],
        )


class EnrollmentForm(ContactForm, MandateForm):
    """加入申込 for one scheme, with the 口座振替 mandate."""

    kind = forms.ChoiceField(
        label="個人・法人の別", choices=Party.Kind.choices, widget=forms.RadioSelect
    )
    organisation = forms.ChoiceField(
        label="法人の種類",
        choices=[("", "（個人の方は選択不要）"), *CORPORATE_ORGANISATIONS],
        required=False,
    )
    corporate_number = forms.CharField(
        label="法人番号（13桁）", max_length=20, required=False, help_text="法人の方のみ"
    )
    industry = forms.ChoiceField(label="業種", choices=Industry.choices)
    industry_detail = forms.ChoiceField(
        label="該当する業種があれば選択", choices=IndustryDetail.choices, required=False
    )
    employees = WholeNumberField(label="常時使用する従業員数", min_value=0, max_value=1_000_000)
    capital_yen = WholeNumberField(
        label="資本金（円）", min_value=0, required=False, help_text="法人の方のみ"
    )
    business_started = forms.CharField(label="事業開始年月", max_length=10, help_text="例: 2020-04")
    position = forms.ChoiceField(
        label="加入する方の立場",
        choices=[
            ("", "選択してください"),
            *((p.value, label) for p, label in POSITION_LABEL.items()),
        ],
        required=False,
    )
    monthly_yen = WholeNumberField(label="掛金月額（円）", min_value=0)

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        if scheme == Scheme.SHOKIBO:
            self.fields["position"].required = True
            self.fields["monthly_yen"].help_text = "1,000円〜70,000円（500円単位）"
        else:
            del self.fields["position"]
            self.fields["monthly_yen"].help_text = "5,000円〜200,000円（5,000円単位）"

    def clean_business_started(self) -> dt.date:
        text = normalize_text(self.cleaned_data["business_started"]).replace("/", "-")
        try:
            return dt.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise forms.ValidationError(
                "事業開始年月は 2020-04 のように入力してください。"
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Party.Kind.CORPORATION:
            if not data.get("organisation"):
                self.add_error("organisation", "法人の種類を選んでください。")
            if data.get("capital_yen") is None:
                self.add_error("capital_yen", "法人の方は資本金を入力してください。")
            number = data.get("corporate_number") or ""
            try:
                data["corporate_number"] = validate_corporate_number(number)
            except RuleError as exc:
                self.add_error("corporate_number", exc.message_ja)
        else:
            data["organisation"] = Organisation.SOLE_PROPRIETOR.value
            data["corporate_number"] = None
            data["capital_yen"] = None
        return data

    def application(self) -> EnrollmentApplication:
        """The cleaned form as the enrollment action takes it."""
        data = self.cleaned_data
        party = PartyFacts(
            kind=data["kind"],
            organisation=data["organisation"],
            name=normalize_text(data["name"]),
            name_kana=data["name_kana"],
            corporate_number=data["corporate_number"],
            representative_name=normalize_text(data.get("representative_name") or ""),
            postal_code=data["postal_code"],
            prefecture_code=prefecture_code(self.postal_addresses[0].prefecture),
            address=self.address_text(),
            phone=data["phone"],
            industry=data["industry"],
            industry_detail=data.get("industry_detail") or "",
            employees=data["employees"],
            capital_yen=data["capital_yen"],
            business_started_on=data["business_started"],
        )
        return EnrollmentApplication(
            self.scheme, party, data["monthly_yen"], self.mandate(), data.get("position") or ""
        )


class PartyChangeForm(ContactForm):
    """住所・名称・代表者・電話の変更."""

    def change(self) -> PartyChange:
        data = self.cleaned_data
        return PartyChange(
            name=normalize_text(data["name"]),
            name_kana=data["name_kana"],
            representative_name=normalize_text(data.get("representative_name") or ""),
            postal_code=data["postal_code"],
            prefecture_code=prefecture_code(self.postal_addresses[0].prefecture),
            address=self.address_text(),
            phone=data["phone"],
        )


def contact_initial(party: Party) -> dict[str, Any]:
    """The holder's details as the change form shows them (the address after the city)."""
    return {
        "name": party.name,
        "name_kana": party.name_kana,
        "representative_name": party.representative_name,
        "postal_code": party.postal_code,
        "address": _after_city(party.address, party.postal_code),
        "phone": party.phone,
    }


def _after_city(address: str, postal_code: str) -> str:
    """The part of an address a member types: what follows the prefecture and the city."""
    for found in lookup(postal_code):
        address = address.removeprefix(f"{found.prefecture}{found.city}")
    return address


TOSAN_DECREASE_REASONS = [
    ("", "（増額の場合は選択不要）"),
    ("business_shrank", "事業の縮小により、現在の掛金月額が不要になった"),
    ("hardship", "業況の悪化・病気・けが・急な支出により、納付が著しく困難"),
    ("loan_cap_reached", "共済金の貸付残高と掛金総額の10倍の合計が8,000万円に達した"),
]


class PremiumChangeForm(forms.Form):
    """掛金月額変更: the new amount, and for tosan the month wished and a decrease's reason."""

    new_monthly_yen = WholeNumberField(label="変更後の掛金月額（円）", min_value=0)
    desired_month = forms.CharField(
        label="変更を希望する月",
        max_length=10,
        required=False,
        help_text="例: 2026-12（倒産防止共済のみ。省略すると翌月）",
    )
    decrease_reason = forms.ChoiceField(
        label="減額の理由（倒産防止共済の減額のみ）", choices=TOSAN_DECREASE_REASONS, required=False
    )

    def clean_desired_month(self) -> dt.date | None:
        text = normalize_text(self.cleaned_data["desired_month"]).replace("/", "-")
        if not text:
            return None
        try:
            return dt.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise forms.ValidationError("希望する月は 2026-12 のように入力してください。") from None


def enrollment_initial(payload: dict[str, Any]) -> dict[str, Any]:
    """A submitted application back as form values, so a 不備 is fixed on what was typed."""
    party, mandate = payload["party"], payload["mandate"]
    address = _after_city(party["address"], party["postal_code"])
    return {
        **{k: party[k] for k in ("kind", "name", "name_kana", "representative_name", "postal_code",
                                 "phone", "industry", "industry_detail", "employees", "capital_yen")},
        "organisation": "" if party["kind"] == Party.Kind.INDIVIDUAL else party["organisation"],
        "corporate_number": party["corporate_number"] or "",
        "address": address,
        "business_started": party["business_started_on"][:7],
        "position": payload["position"],
        "monthly_yen": payload["monthly_yen"],
        **{k: mandate[k] for k in ("bank_code", "branch_code", "account_type", "account_number")},
        "holder_kana": mandate["holder_kana"],
    }  # fmt: skip


EVIDENCE_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 10


class KyosaikinLoanForm(forms.Form):
    """共済金貸付請求 (様式 中301): the customer that went bankrupt and what it owes."""

    debtor_name = forms.CharField(label="倒産した取引先の名称", max_length=100)
    event = forms.ChoiceField(
        label="倒産の事由", choices=[(e.value, label) for e, label in EVENT_LABEL.items()]
    )
    insolvency_on = forms.DateField(
        label="倒産日（申立ての日、取引停止処分の日など）", input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    unrecoverable_yen = WholeNumberField(
        label="回収が難しくなった売掛金・前渡金（円）", min_value=1, max_value=10**12
    )
    pause_premiums = forms.BooleanField(
        label="据置期間（6か月）の掛金の払込みを休止する", required=False
    )

    def clean_debtor_name(self) -> str:
        return normalize_text(self.cleaned_data["debtor_name"]).strip()

    def request(self) -> KyosaikinLoanRequest:
        data = self.cleaned_data
        return KyosaikinLoanRequest(
            debtor_name=data["debtor_name"], event=InsolvencyEvent(data["event"]),
            insolvency_on=data["insolvency_on"], unrecoverable_yen=data["unrecoverable_yen"],
            pause_premiums=data["pause_premiums"],
        )  # fmt: skip


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Documents sent with a request: PDF, JPEG or PNG, each at most 10 MB, at most 10."""

    widget = MultipleFileInput(attrs={"accept": ",".join(EVIDENCE_TYPES)})

    def clean(self, data: Any, initial: Any = None) -> list[AttachmentFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise forms.ValidationError("書類を添付してください。")
        if len(files) > EVIDENCE_MAX_FILES:
            raise forms.ValidationError(f"添付できる書類は{EVIDENCE_MAX_FILES}件までです。")
        kept = []
        for file in files:
            if file.content_type not in EVIDENCE_TYPES:
                raise forms.ValidationError(
                    f"「{file.name}」はPDF・JPEG・PNGのいずれでもないため添付できません。"
                )
            if file.size > EVIDENCE_MAX_BYTES:
                raise forms.ValidationError(f"「{file.name}」は10MBを超えています。")
            kept.append(AttachmentFile(file.name, file.content_type, file.read()))
        return kept


class EvidenceForm(forms.Form):
    evidence = EvidenceField(
        label="添付書類（倒産の事実がわかる書類、売掛金元帳の写し、手形・小切手の写しなど）"
    )
