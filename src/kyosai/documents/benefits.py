"""共済金支給決定通知書: what a member receives when a claim is determined (the benefit, how it
was counted, how it is received and where it is transferred)."""

import datetime as dt
from dataclasses import dataclass

from kyosai.documents.pdf import Document, render, yen
from kyosai.rules.calendar import wareki

BENEFIT_NOTICE_TITLE = "共済金支給決定通知書"


@dataclass(frozen=True)
class BenefitNoticeFacts:
    scheme_name: str
    contract_number: str
    holder_name: str
    kind_label: str  # 共済金A / 共済金B / 準共済金
    event_label: str
    event_on: dt.date
    months: int
    carried_months: int  # of `months`, carried in by 通算
    benefit_yen: int
    loan_offset_yen: int  # loans still owed, taken from the 共済金
    method_label: str  # 一括 / 分割 / 併用
    lump_part_yen: int
    instalment_count: int
    instalment_first_on: dt.date | None
    instalment_yen: int  # each instalment (the last may differ by the rounding)
    instalment_total_yen: int
    overpaid_return_yen: int
    discount_yen: int
    paid_now_yen: int
    payee: str
    provisional: bool  # an unconfirmed or provisional value was used
    issued_on: dt.date


def render_benefit_notice(facts: BenefitNoticeFacts) -> bytes:
    months = f"{facts.months}か月" + (
        f"（うち通算 {facts.carried_months}か月）" if facts.carried_months else ""
    )
    rows = [
        ("共済契約者番号", facts.contract_number),
        ("共済契約者", facts.holder_name),
        ("共済事由", f"{facts.event_label}（{wareki(facts.event_on)}）"),
        ("共済金の種類", facts.kind_label),
        ("掛金納付月数", months),
        (facts.kind_label, yen(facts.benefit_yen)),
    ]
    if facts.loan_offset_yen:
        rows += [
            ("差し引く貸付金（未返済の元金・利息など）", yen(facts.loan_offset_yen)),
            ("差引後の共済金", yen(facts.benefit_yen - facts.loan_offset_yen)),
        ]
    rows += [("受取方法", facts.method_label)]
    if facts.instalment_count and facts.instalment_first_on:
        if facts.lump_part_yen:
            rows.append(("一括で受け取る額", yen(facts.lump_part_yen)))
        rows += [
            ("分割で受け取る額", f"1回 {yen(facts.instalment_yen)} × {facts.instalment_count}回"),
            ("分割の初回支給日", wareki(facts.instalment_first_on)),
            ("分割の支給総額", yen(facts.instalment_total_yen)),
        ]
    if facts.overpaid_return_yen:
        rows.append(("過納掛金の返還（共済事由の後の月の分）", yen(facts.overpaid_return_yen)))
    if facts.discount_yen:
        rows.append(("未払の前納減額金", yen(facts.discount_yen)))
    rows += [
        ("一括でお振り込みする額", yen(facts.paid_now_yen)),
        ("お振込先", facts.payee),
        ("発行日", wareki(facts.issued_on)),
    ]
    notes = (
        ("金額の計算に、確認中の値（暫定の支給額表など）を使っています。正式な値の確認後に"
         "変わることがあります。",)
        if facts.provisional
        else ()
    )  # fmt: skip
    return render(
        Document(
            title=BENEFIT_NOTICE_TITLE,
            scheme_name=facts.scheme_name,
            subject=f"{facts.scheme_name} {facts.contract_number}",
            rows=tuple(rows),
            notes=notes,
            closing="上記のとおり共済金の支給を決定しましたので、お知らせします。",
        )
    )
