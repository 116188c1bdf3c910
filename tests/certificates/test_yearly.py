"""The yearly certificates on a small book run through 2026 with the real billing runs and the
pretend bank's answers: figures worked out here from the rules, and checked against the ledger.

    tosan   佐藤 20,000円  joined 2022-04  pays every month
    tosan   田中 100,000円 joined 2023-04  prepays 11 months with January's debit (前納減額金 5,940円
                                           paid in June, tosan P21–P22)
    tosan   山本 50,000円  joined 2023-04  prepays 5 months with October's debit (to March 2027)
    tosan   伊藤 100,000円 joined 2024-01  borrows 2,700,000円 in January: 270,000円 forfeited (L7)
    shokibo 鈴木 30,000円  joined 2021-04  pays every month
    shokibo 高橋 10,000円  joined 2023-04  August's debit fails (re-billed in October, P13)
    shokibo 中村 20,000円  applies in October 2026: first paid in November, a late joiner (X3)
"""

import datetime as dt
from pathlib import Path

import pytest
from django.db.models import Sum
from django.utils import timezone

from kyosai.billing.discounts import close_discounts, pay_discounts
from kyosai.billing.models import Account, Journal, Posting
from kyosai.certificates.actions import (
    batch_for,
    do_issue_balance_certificate,
    issue_year,
    statement_book,
    statement_facts,
)
from kyosai.certificates.models import IssuedCertificate
from kyosai.contracts.models import Contract
from kyosai.core.errors import ApplicationError
from kyosai.core.roles import Role
from kyosai.formats import teg850
from kyosai.loans.actions import do_submit_kyosaikin_loan
from kyosai.procedures.changes import do_submit_prepayment
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from kyosai.rules.scheme import Scheme
from tests.billing.book import JST, at, member_contract, taken_over
from tests.billing.test_cycle import cycle
from tests.settlement.test_kyosaikin_loans import EVIDENCE, request
from tests.web.test_staff import user

pytestmark = pytest.mark.django_db
TOSAN, SHOKIBO = Scheme.TOSAN, Scheme.SHOKIBO
ONLINE = Procedure.Channel.ONLINE
Kind, Edition = IssuedCertificate.Kind, IssuedCertificate.Edition
CERT_PEM = (Path(__file__).parent / "test_signing_cert.pem").read_bytes()
NS = {"k": teg850.KYOTSU, "gen": teg850.GENERAL}


@pytest.fixture(autouse=True)
def lending_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loan is lent on the day staff decide: 13 January 2026."""
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 1, 13, 10, tzinfo=JST))


def months(scheme: Scheme, first: int, last: int, failing: Contract | None = None) -> None:
    for n in range(first, last + 1):
        fails = {failing.number: "1"} if failing and n == 8 else {}
        cycle(scheme, dt.date(2026, n, 1), fails)


def ledger_paid_in(c: Contract, year: int) -> int:
    """The ledger's premiums received by the debits of `year`, read here on their own."""
    total = Posting.objects.filter(
        contract=c, account=Account.PREMIUMS, journal__kind=Journal.Kind.RESULT,
        bill__month__year=year,
    ).aggregate(s=Sum("amount_yen"))["s"]  # fmt: skip
    return -int(total or 0)


def ledger_received(c: Contract) -> int:
    total = Posting.objects.filter(
        contract=c, account=Account.PREMIUMS,
        journal__kind__in=[Journal.Kind.RESULT, Journal.Kind.OPENING],
    ).aggregate(s=Sum("amount_yen"))["s"]  # fmt: skip
    return -int(total)


@pytest.fixture
def book(bank_files: Path) -> dict[str, Contract]:
    members = {
        "sato": member_contract(TOSAN, 20_000, at(2022, 4), 1),
        "tanaka": member_contract(TOSAN, 100_000, at(2023, 4), 2),
        "yamamoto": member_contract(TOSAN, 50_000, at(2023, 4), 3),
        "ito": member_contract(TOSAN, 100_000, at(2024, 1), 4),
        "suzuki": member_contract(SHOKIBO, 30_000, at(2021, 4), 5),
        "takahashi": member_contract(SHOKIBO, 10_000, at(2023, 4), 6),
    }
    for scheme in Scheme:
        taken_over(scheme, dt.date(2025, 12, 1))
    do_submit_prepayment(
        members["tanaka"], 11, channel=ONLINE, idempotency_key="tanaka-prepay",
        received_at=at(2026, 1, 5), acting_user=members["tanaka"].party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    asked = do_submit_kyosaikin_loan(
        members["ito"], request(2_700_000, insolvency_on=dt.date(2025, 12, 15)), EVIDENCE,
        channel=ONLINE, idempotency_key="ito-loan", received_at=at(2026, 1, 7),
        acting_user=members["ito"].party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    do_decide(asked, approve=True, reason_ja="", acting_user=user("kimura", Role.REVIEWER))
    months(TOSAN, 1, 5)
    close_discounts(2025, scheme=TOSAN, posted_on=dt.date(2026, 3, 31))
    pay_discounts(2025, scheme=TOSAN, paid_on=dt.date(2026, 6, 15))
    months(TOSAN, 6, 9)
    do_submit_prepayment(
        members["yamamoto"], 5, channel=ONLINE, idempotency_key="yamamoto-prepay",
        received_at=at(2026, 10, 2), acting_user=members["yamamoto"].party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    months(TOSAN, 10, 12)
    months(SHOKIBO, 1, 9, failing=members["takahashi"])
    return members


def test_the_february_tosan_statement_matches_the_ledger_to_the_yen_x6(
    book: dict[str, Contract],
) -> None:
    batch = batch_for(Kind.PAYMENT_STATEMENT, 2026, Edition.YEAR, dt.date(2027, 2, 10))
    assert issue_year(batch).issued == 4
    facts = {name: statement_facts(batch, statement_book(batch, book[name]))
             for name in ("sato", "tanaka", "yamamoto", "ito")}  # fmt: skip
    # Worked out from the rules: 12 monthly debits; 田中's January 前納 takes the 12 months of
    # 2026 (P18); 山本's October 前納 takes October to March 2027, three months ahead (P20).
    expected = {
        "sato": (240_000, 12, 0, 0),
        "tanaka": (1_200_000, 12, 0, 5_940),
        "yamamoto": (50_000 * 9 + 50_000 * 6, 15, 150_000, 0),
        "ito": (1_200_000, 12, 0, 0),
    }
    for name, (paid, months_paid, prepaid, discount) in expected.items():
        got = facts[name]
        assert (got.paid_in_year_yen, got.months_paid_in_year, got.prepaid_yen) == (
            paid, months_paid, prepaid,
        ), name  # fmt: skip
        assert got.discount_paid_yen == discount, name
        # The ledger, read on its own: the year's debits and everything received since joining.
        assert got.paid_in_year_yen == ledger_paid_in(book[name], 2026), name
        assert got.total_paid_yen == ledger_received(book[name]), name
    # 伊藤 borrowed 2,700,000円: a tenth of it, 270,000円, is taken from the premiums (L7).
    assert facts["ito"].deductions_yen == 270_000
    assert facts["ito"].total_paid_yen == 24 * 100_000 + 1_200_000
    assert facts["tanaka"].discount_paid_month == dt.date(2026, 6, 1)
    stored = IssuedCertificate.objects.get(contract=book["sato"], kind=Kind.PAYMENT_STATEMENT)
    assert stored.amount_yen == 240_000 and bytes(stored.pdf).startswith(b"%PDF")
    # Not reissued: the batch again issues nothing (X6).
    assert issue_year(batch).issued == 0


def test_the_autumn_deduction_certificate_and_the_february_one_for_a_late_joiner_x1_x4(
    book: dict[str, Contract],
) -> None:
    autumn = batch_for(Kind.DEDUCTION, 2026, Edition.AUTUMN, dt.date(2026, 11, 10))
    assert autumn.as_of == dt.date(2026, 9, 30)
    assert issue_year(autumn).issued == 2
    suzuki = IssuedCertificate.objects.get(contract=book["suzuki"], kind=Kind.DEDUCTION)
    # 9 months paid (270,000円) and October to December due (90,000円): 360,000円 (X1).
    assert suzuki.amount_yen == 360_000 and suzuki.withheld_reason == ""
    root = teg850.verify(bytes(suzuki.xml), cert_pem=CERT_PEM)
    teg850.validate(bytes(suzuki.xml))
    assert [n.text for n in root.xpath("k:WPG00000/* | k:WPH00000/* | k:WPI00000", namespaces=NS)] == [
        "9", "270000", "10", "12", "90000", "360000",
    ]  # fmt: skip
    assert root.xpath("string(k:WPE00000)", namespaces=NS) == book["suzuki"].number
    # 高橋's August debit failed: arrears at the cut-off, so "****" with the reason; the
    # member still gets a certificate of the 80,000円 paid (X4).
    takahashi = IssuedCertificate.objects.get(contract=book["takahashi"], kind=Kind.DEDUCTION)
    assert takahashi.amount_yen is None and "未納の掛金（10,000円）" in takahashi.withheld_reason
    root = teg850.verify(bytes(takahashi.xml), cert_pem=CERT_PEM)
    assert root.xpath("k:WPI00000", namespaces=NS) == []
    assert root.xpath("string(k:WPG00000/k:WPG00020)", namespaces=NS) == "80000"
    assert issue_year(autumn).issued == 0  # run again: nothing new

    # 中村 applies in October; the autumn run had nothing of theirs, February has (X3).
    nakamura = member_contract(SHOKIBO, 20_000, at(2026, 10, 1), 7)
    for n in (10, 11, 12):
        cycle(SHOKIBO, dt.date(2026, n, 1))
    final = batch_for(Kind.DEDUCTION, 2026, Edition.FINAL, dt.date(2027, 2, 10))
    assert issue_year(final).issued == 1
    late = IssuedCertificate.objects.get(contract=nakamura, kind=Kind.DEDUCTION)
    assert late.edition == Edition.FINAL
    assert late.amount_yen == ledger_paid_in(nakamura, 2026) > 0
    root = teg850.verify(bytes(late.xml), cert_pem=CERT_PEM)
    assert root.xpath("k:WPH00000", namespaces=NS) == []
    # Every XML the batches stored is valid against the NTA schema and its signature verifies.
    stored = IssuedCertificate.objects.filter(kind=Kind.DEDUCTION)
    assert stored.count() == 3
    for certificate in stored:
        teg850.validate(bytes(certificate.xml))
        teg850.verify(bytes(certificate.xml), cert_pem=CERT_PEM)


def test_batches_are_refused_before_the_figures_are_known(book: dict[str, Contract]) -> None:
    with pytest.raises(ApplicationError, match="翌日以後に発行"):
        batch_for(Kind.DEDUCTION, 2026, Edition.AUTUMN, dt.date(2026, 9, 30))
    with pytest.raises(ApplicationError, match="autumn"):
        batch_for(Kind.DEDUCTION, 2026, Edition.YEAR, dt.date(2027, 2, 10))


def test_a_balance_certificate_on_request_is_the_ledger_less_the_deductions(
    book: dict[str, Contract],
) -> None:
    ito = book["ito"]
    issued = do_issue_balance_certificate(
        ito, as_of=dt.date(2026, 12, 31), issued_on=dt.date(2027, 1, 8), acting_user=None
    )
    assert issued.amount_yen == ledger_received(ito) - 270_000
    again = do_issue_balance_certificate(
        ito, as_of=dt.date(2026, 12, 31), issued_on=dt.date(2027, 1, 9), acting_user=None
    )
    assert again.pk == issued.pk
    with pytest.raises(ApplicationError, match="経営セーフティ共済"):
        do_issue_balance_certificate(
            book["suzuki"], as_of=dt.date(2026, 12, 31), issued_on=dt.date(2027, 1, 8),
            acting_user=None,
        )  # fmt: skip
