"""manage.py billing: the cycle as a scheduler runs it, and a bad file refused by line."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kyosai.billing.models import Bill, BillingRun
from kyosai.demo.bank import answers
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract

pytestmark = pytest.mark.django_db


def test_run_import_and_review_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = member_contract(Scheme.TOSAN, 50_000, at(2026, 1))
    call_command("billing", "run", "--scheme", "tosan", "--month", "2026-03")
    run = BillingRun.objects.get()
    [(name, data)] = answers(run, {c.number: "1"})
    (tmp_path / name).write_bytes(data)
    call_command("billing", "import", str(tmp_path / name), "--on", "2026-03-31")
    call_command(
        "billing", "review", "--scheme", "tosan", "--month", "2026-03", "--on", "2026-04-01"
    )
    out = capsys.readouterr().out
    assert "150,000円" in out and "振替不能 1件 150,000円" in out and "再請求のお知らせ 1件" in out
    assert Bill.objects.get().status == "failed"
    (tmp_path / "bad.txt").write_bytes(data[:50])
    with pytest.raises(CommandError, match="1行目"):
        call_command("billing", "import", str(tmp_path / "bad.txt"), "--on", "2026-03-31")
    with pytest.raises(CommandError, match="を読めません"):
        call_command("billing", "import", str(tmp_path / "missing.txt"), "--on", "2026-03-31")
