"""`manage.py certificates issue`: the batch from the command line, idempotent, with Japanese errors."""

import csv
import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kyosai.certificates.models import IssuedCertificate
from kyosai.notices.models import Notice
from kyosai.notices.printing import print_dir, print_notices
from kyosai.parties.models import Party
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract, taken_over
from tests.billing.test_cycle import cycle
from tests.documents.test_yearly import text_of
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def issue(*args: str) -> str:
    out = StringIO()
    call_command("certificates", "issue", *args, stdout=out)
    return out.getvalue()


def test_the_payment_statements_of_a_year_once(bank_files: Path) -> None:
    member = member_contract(Scheme.TOSAN, 20_000, at(2024, 4), 1)
    taken_over(Scheme.TOSAN, dt.date(2025, 12, 1))
    for n in range(1, 13):
        cycle(Scheme.TOSAN, dt.date(2026, n, 1))
    args = ("--kind", "payment_statement", "--year", "2026", "--on", "2027-02-10")
    assert "掛金納付状況兼領収書 2026年分（year）: 1件を発行しました" in issue(*args)
    assert ": 0件を発行しました" in issue(*args)
    assert IssuedCertificate.objects.get(contract=member).amount_yen == 240_000
    # The member hears of it once in the inbox (issue 7 §2), pointed to the 証明書 page.
    [notice] = Notice.objects.filter(kind=Notice.Kind.CERTIFICATE)
    assert (notice.party, notice.contract, notice.amount_yen) == (member.party, member, 240_000)
    assert notice.link == f"/portal/contracts/{member.pk}/certificates/"
    assert notice.title == "掛金納付状況兼領収書（2026年分）を発行しました"


def test_a_certificate_asked_for_too_early_is_refused_in_japanese() -> None:
    with pytest.raises(CommandError, match="翌日以後に発行します"):
        issue("--kind", "deduction", "--year", "2026", "--edition", "autumn", "--on", "2026-09-30")


def test_a_worker_count_below_one_is_refused_in_japanese() -> None:
    with pytest.raises(CommandError, match="1以上の整数で指定してください"):
        issue(
            "--kind", "payment_statement", "--year", "2026", "--on", "2027-02-10", "--workers", "0"
        )
    assert not IssuedCertificate.objects.exists()


def test_a_member_on_paper_gets_the_certificate_itself_in_the_print_data(
    bank_files: Path,
) -> None:
    """Issue 7 §2: paper members get the certificate printed with its notice, the stored bytes
    unchanged; online, the notice's download is the same certificate."""
    member = member_contract(Scheme.TOSAN, 20_000, at(2024, 4), 1)
    Party.objects.filter(pk=member.party_id).update(wants_paper=True)
    for n in range(1, 13):
        cycle(Scheme.TOSAN, dt.date(2026, n, 1))
    issue("--kind", "payment_statement", "--year", "2026", "--on", "2027-02-10")
    certificate = IssuedCertificate.objects.get(contract=member)
    [notice] = Notice.objects.filter(kind=Notice.Kind.CERTIFICATE)

    run = print_notices(dt.date(2027, 2, 10))
    folder = print_dir(run)
    lines = list(csv.DictReader((folder / "manifest-20270210.csv").open(encoding="utf-8")))
    [line] = [line for line in lines if line["notice_id"] == str(notice.pk)]
    assert {other["enclosure"] for other in lines if other is not line} == {""}  # 請求金額 etc.
    assert line["enclosure"] == f"enclosures/{notice.pk}.pdf"
    assert (folder / line["enclosure"]).read_bytes() == bytes(certificate.pdf)
    page = text_of((folder / line["file"]).read_bytes())
    assert "同封書類：掛金納付状況兼領収書（2026年分）" in page

    assert member.party.user is not None
    client = sign_in(Client(), member.party.user)
    download = client.get(f"/portal/inbox/{notice.pk}/document/", follow=True)
    assert download.redirect_chain == [(f"/portal/certificates/{certificate.pk}/pdf/", 302)]
    assert download.content == bytes(certificate.pdf)
