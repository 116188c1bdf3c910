"""The yearly certificates (控除証明書, 掛金納付状況兼領収書, 掛金残高証明書) drawn by `pdf.render`,
read back with poppler's pdftotext."""

import datetime as dt
import subprocess

from kyosai.documents.drawing import wrap_text
from kyosai.documents.yearly import (
    BalanceCertificateFacts,
    DeductionCertificateFacts,
    PaymentStatementFacts,
    render_balance_certificate,
    render_deduction_certificate,
    render_payment_statement,
)
from tests.documents.test_certificate import poppler

DEDUCTION = DeductionCertificateFacts(
    year=2026, contract_number="123456785", holder_name="山田太郎",
    address="〒100-0013 東京都千代田区霞が関三丁目2番1号 霞が関ビルディング十二階",
    contract_date=dt.date(2019, 4, 1), monthly_yen=30_000, paid_through_month=9,
    paid_yen=270_000, due_from_month=10, due_yen=90_000, discount_yen=0,
    deduction_text="****", remarks="未納の掛金（10,000円）があり、控除合計額を記載できません。",
    issued_on=dt.date(2026, 11, 10), unique_code="1234567852026A",
)  # fmt: skip


def text_of(pdf: bytes) -> str:
    done = subprocess.run(  # noqa: S603 - fixed poppler binary reading our own bytes
        [poppler("pdftotext"), "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
        check=True,
    )  # fmt: skip
    return done.stdout.decode()


def test_the_deduction_certificate_states_what_is_known_and_why_the_total_is_four_stars() -> None:
    pdf = render_deduction_certificate(DEDUCTION)
    assert pdf == render_deduction_certificate(DEDUCTION)  # invariant: the same bytes
    text = text_of(pdf)
    for expected in ("小規模企業共済掛金控除証明書", "令和8年分", "平成31年4月1日", "270,000円",
                     "払込予定額（10〜12月）", "払込済額（1〜9月）", "90,000円", "****", "未納の掛金（10,000円）",
                     "独立行政法人中小企業基盤整備機構"):  # fmt: skip
        assert expected in text, expected


def test_the_payment_statement_and_the_balance_certificate() -> None:
    statement = text_of(
        render_payment_statement(
            PaymentStatementFacts(
                year=2026,
                contract_number="600000194",
                holder_name="株式会社山田製作所",
                monthly_yen=50_000,
                months_paid_in_year=15,
                paid_in_year_yen=750_000,
                total_paid_yen=2_250_000,
                deductions_yen=0,
                prepaid_yen=150_000,
                discount_paid_yen=5_940,
                discount_paid_month=dt.date(2026, 6, 1),
                cancelled_on=None,
                issued_on=dt.date(2027, 2, 10),
            )
        )
    )
    for expected in ("掛金納付状況兼領収書", "750,000円", "2,250,000円", "150,000円",
                     "令和8年6月", "再発行できません"):  # fmt: skip
        assert expected in statement, expected
    balance = text_of(
        render_balance_certificate(
            BalanceCertificateFacts(
                scheme_name="経営セーフティ共済",
                contract_number="600000194",
                holder_name="株式会社山田製作所",
                as_of=dt.date(2026, 12, 3),
                months_paid=32,
                total_paid_yen=3_600_000,
                deductions_yen=270_000,
                balance_yen=3_330_000,
                issued_on=dt.date(2026, 12, 4),
            )
        )
    )
    assert "掛金残高証明書" in balance and "3,330,000円" in balance and "32か月" in balance


def test_long_values_wrap_at_the_column_width() -> None:
    lines = wrap_text("あ" * 50, 11, 110)  # 11 pt characters, 10 to a line
    assert [len(line) for line in lines] == [10] * 5
    assert wrap_text("短い", 11, 110) == ["短い"]
