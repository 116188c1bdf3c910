"""共済契約締結証書 (contract certificate) as PDF bytes, for both 共済 schemes
(the one-page document machinery and its font are `documents.pdf`).

Dates are 和暦 (`kyosai.rules.calendar.wareki`; 加入年月 without the day), amounts are yen with
thousands commas (30,000円). The 共済契約者番号 is printed exactly as given, 9 digits without
separators, the way it is stored and shown on the web pages (docs/contract-number.md).
"""

import datetime as dt
from dataclasses import dataclass

from kyosai.documents.pdf import Document, render, yen
from kyosai.rules.calendar import wareki

TITLE = "共済契約締結証書"
CLOSING = "上記のとおり共済契約を締結したことを証します。"
PROVISIONAL_NOTE = "※初回の振替月数は確認中です。確定した月数は改めてお知らせします。"
NO_AGENCY = "なし"


@dataclass(frozen=True)
class CertificateFacts:
    """What the certificate states; every field is printed as given (see the module docstring)."""

    scheme_name: str  # 「経営セーフティ共済（中小企業倒産防止共済）」 or 「小規模企業共済」
    contract_number: str  # 共済契約者番号, 9 digits, printed as given
    holder_name: str
    holder_kana: str
    address: str  # with the 〒 code, e.g. 「〒100-0013 東京都千代田区霞が関3-2-1」
    monthly_yen: int
    joined_month: dt.date  # first day of the month
    first_debit_on: dt.date
    first_debit_yen: int
    first_debit_months: int
    first_debit_provisional: bool  # True: print a note that the number of months is being confirmed
    handling_agency: str | None  # 登録取扱機関; None prints 「なし」
    issued_on: dt.date

    def __post_init__(self) -> None:
        number = self.contract_number
        if not (len(number) == 9 and number.isascii() and number.isdigit()):
            raise ValueError(f"contract_number must be 9 digits: {self.contract_number!r}")
        if self.joined_month.day != 1:
            raise ValueError(f"joined_month must be the first day of a month: {self.joined_month}")
        if self.monthly_yen <= 0 or self.first_debit_yen <= 0 or self.first_debit_months <= 0:
            raise ValueError("amounts and the number of months must be positive")


def _rows(facts: CertificateFacts) -> tuple[tuple[str, str], ...]:
    first_debit = f"{yen(facts.first_debit_yen)}（{facts.first_debit_months}か月分）"
    return (
        ("共済契約者番号", facts.contract_number),
        ("共済契約者", facts.holder_name),
        ("フリガナ", facts.holder_kana),
        ("住所", facts.address),
        ("掛金月額", yen(facts.monthly_yen)),
        ("加入年月", wareki(facts.joined_month, with_day=False)),
        ("初回口座振替予定日", wareki(facts.first_debit_on)),
        ("初回の振替額", first_debit),
        ("登録取扱機関", facts.handling_agency or NO_AGENCY),
        ("発行日", wareki(facts.issued_on)),
    )


def render_certificate(facts: CertificateFacts) -> bytes:
    """The 共済契約締結証書 for `facts` as the bytes of a one-page A4 PDF."""
    return render(
        Document(
            title=TITLE,
            scheme_name=facts.scheme_name,
            subject=f"{facts.scheme_name} {facts.contract_number}",
            rows=_rows(facts),
            notes=(PROVISIONAL_NOTE,) if facts.first_debit_provisional else (),
            closing=CLOSING,
        )
    )
