"""The certificates issued for a year's premiums, in the same layout as the 共済契約締結証書
(`pdf.Document`, `pdf.render`): the shokibo 小規模企業共済掛金控除証明書 (shokibo_rules.md X3; the
same facts as the TEG850 XML, so paper and electronic never differ), and the tosan
掛金納付状況兼領収書 and 掛金残高証明書 (tosan_rules.md X6)."""

import datetime as dt
from dataclasses import dataclass

from kyosai.documents.pdf import Document, render, yen
from kyosai.rules.calendar import wareki

DEDUCTION_TITLE = "小規模企業共済掛金控除証明書"
STATEMENT_TITLE = "掛金納付状況兼領収書"
BALANCE_TITLE = "掛金残高証明書"
SHOKIBO_NAME = "小規模企業共済"
TOSAN_NAME = "経営セーフティ共済（中小企業倒産防止共済）"


@dataclass(frozen=True)
class DeductionCertificateFacts:
    year: int
    contract_number: str
    holder_name: str
    address: str
    contract_date: dt.date
    monthly_yen: int
    paid_through_month: int
    paid_yen: int
    due_from_month: int | None
    due_yen: int
    discount_yen: int
    deduction_text: str  # 「840,000円」 or 「****」
    remarks: str
    issued_on: dt.date
    unique_code: str


def _year(year: int) -> str:
    return wareki(dt.date(year, 12, 31), with_day=False).split("年")[0] + "年分"


def render_deduction_certificate(facts: DeductionCertificateFacts) -> bytes:
    rows = [
        ("証明年分", _year(facts.year)),
        ("共済契約者番号", facts.contract_number),
        ("氏名", facts.holder_name),
        ("住所", facts.address),
        ("契約年月日", wareki(facts.contract_date)),
        ("掛金月額", yen(facts.monthly_yen)),
        (f"払込済額（1〜{facts.paid_through_month}月）", yen(facts.paid_yen)),
    ]
    if facts.due_from_month:
        rows.append((f"払込予定額（{facts.due_from_month}〜12月）", yen(facts.due_yen)))
    rows += [
        ("前納減額金", yen(facts.discount_yen)),
        ("控除合計額", facts.deduction_text),
        ("証明日", wareki(facts.issued_on)),
        ("証明書番号", facts.unique_code),
    ]
    notes = (facts.remarks,) if facts.remarks else ()
    return render(
        Document(
            title=DEDUCTION_TITLE,
            scheme_name=SHOKIBO_NAME,
            subject=f"{SHOKIBO_NAME} {facts.contract_number} {facts.year}",
            rows=tuple(rows),
            notes=(
                *notes,
                "この証明書は年末調整または確定申告の小規模企業共済等掛金控除に使えます。",
            ),
            closing="上記のとおり掛金を払い込んだこと（払い込む予定であること）を証明します。",
        )
    )


@dataclass(frozen=True)
class PaymentStatementFacts:
    """tosan X6: one calendar year's payments and the account since joining, at the year's end."""

    year: int
    contract_number: str
    holder_name: str
    monthly_yen: int
    months_paid_in_year: int
    paid_in_year_yen: int
    total_paid_yen: int  # since joining (taken-over balance included)
    deductions_yen: int  # 1/10 of 共済金 loans and premiums applied to loans (控除額)
    prepaid_yen: int  # paid for months after the year (前納で未到来の掛金)
    discount_paid_yen: int  # 前納減額金 paid in the year
    discount_paid_month: dt.date | None
    cancelled_on: dt.date | None
    issued_on: dt.date


def render_payment_statement(facts: PaymentStatementFacts) -> bytes:
    rows = [
        ("対象期間", f"{_year(facts.year)}（1月〜12月）"),
        ("共済契約者番号", facts.contract_number),
        ("共済契約者", facts.holder_name),
        ("掛金月額", yen(facts.monthly_yen)),
        ("年中の納付月数", f"{facts.months_paid_in_year}か月"),
        ("年中の納付額（領収額）", yen(facts.paid_in_year_yen)),
        ("加入時からの掛金総額", yen(facts.total_paid_yen)),
        ("控除額（貸付による権利消滅等）", yen(facts.deductions_yen)),
        ("前納掛金のうち未到来分", yen(facts.prepaid_yen)),
        ("前納減額金の支払額", yen(facts.discount_paid_yen)),
    ]
    if facts.discount_paid_month:
        rows.append(("前納減額金の支払月", wareki(facts.discount_paid_month, with_day=False)))
    if facts.cancelled_on:
        rows.append(("解約日", wareki(facts.cancelled_on)))
    rows.append(("発行日", wareki(facts.issued_on)))
    return render(
        Document(
            title=STATEMENT_TITLE,
            scheme_name=TOSAN_NAME,
            subject=f"{TOSAN_NAME} {facts.contract_number} {facts.year}",
            rows=tuple(rows),
            notes=(
                "この書類は再発行できません。必要なときは掛金残高証明書をお申し込みください。",
                "確定申告にこの書類の添付は要りません（明細書に記載してください）。",
            ),
            closing="上記の掛金を領収しました。",
        )
    )


@dataclass(frozen=True)
class BalanceCertificateFacts:
    scheme_name: str
    contract_number: str
    holder_name: str
    as_of: dt.date
    months_paid: int
    total_paid_yen: int
    deductions_yen: int
    balance_yen: int
    issued_on: dt.date


def render_balance_certificate(facts: BalanceCertificateFacts) -> bytes:
    return render(
        Document(
            title=BALANCE_TITLE,
            scheme_name=facts.scheme_name,
            subject=f"{facts.scheme_name} {facts.contract_number} {facts.as_of}",
            rows=(
                ("共済契約者番号", facts.contract_number),
                ("共済契約者", facts.holder_name),
                ("基準日", wareki(facts.as_of)),
                ("掛金納付月数", f"{facts.months_paid}か月"),
                ("掛金総額", yen(facts.total_paid_yen)),
                ("控除額", yen(facts.deductions_yen)),
                ("掛金残高", yen(facts.balance_yen)),
                ("発行日", wareki(facts.issued_on)),
            ),
            closing="上記のとおり基準日現在の掛金残高を証明します。",
        )
    )
