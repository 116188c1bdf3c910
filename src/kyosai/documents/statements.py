"""The statements that close a contract: the 解約精算書 a member receives with a cancellation
(what the refund was computed on, what is paid with it and where it is transferred)."""

import datetime as dt
from dataclasses import dataclass

from kyosai.documents.pdf import Document, render, yen
from kyosai.rules.calendar import wareki

CANCELLATION_TITLE = "解約精算書"


@dataclass(frozen=True)
class CancellationStatementFacts:
    scheme_name: str
    contract_number: str
    holder_name: str
    kind_label: str  # 任意解約 / 機構解約 / みなし解約
    effective_on: dt.date
    months: int
    premiums_yen: int  # 掛金総額 as the refund counts it
    rate_text: str  # 支給率, or how it was computed per slice (shokibo)
    refund_yen: int
    prepaid_return_yen: int
    discount_yen: int
    offset_yen: int  # loans and 違約金 taken from it
    net_yen: int
    payee: str  # the bank, branch and masked account number
    issued_on: dt.date


def render_cancellation_statement(facts: CancellationStatementFacts) -> bytes:
    rows = [
        ("共済契約者番号", facts.contract_number),
        ("共済契約者", facts.holder_name),
        ("解約の種類", facts.kind_label),
        ("解約日", wareki(facts.effective_on)),
        ("掛金納付月数", f"{facts.months}か月"),
        ("掛金総額", yen(facts.premiums_yen)),
        ("支給率", facts.rate_text),
        ("解約手当金", yen(facts.refund_yen)),
    ]
    if facts.prepaid_return_yen:
        rows.append(("前納掛金の返還（解約後の月の分）", yen(facts.prepaid_return_yen)))
    if facts.discount_yen:
        rows.append(("未払の前納減額金", yen(facts.discount_yen)))
    if facts.offset_yen:
        rows.append(("貸付金・違約金の差引", f"−{yen(facts.offset_yen)}"))
    rows += [
        ("お支払額", yen(facts.net_yen)),
        ("お振込先", facts.payee if facts.net_yen else "お支払いはありません"),
        ("発行日", wareki(facts.issued_on)),
    ]
    return render(
        Document(
            title=CANCELLATION_TITLE,
            scheme_name=facts.scheme_name,
            subject=f"{facts.scheme_name} {facts.contract_number}",
            rows=tuple(rows),
            closing="上記のとおり共済契約の解約に伴う精算をいたします。",
        )
    )
