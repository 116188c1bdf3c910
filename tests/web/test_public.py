"""The home page, the login and the demo loader, against the database."""

import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_shows_both_schemes_with_the_rules_in_force(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "小規模企業共済" in text and "経営セーフティ共済" in text
    assert "解約手当金の支給率" in text  # a parameter, with its statute
    assert "施行令 第4条" in text
    assert "次回の掛金振替日" in text


def test_demo_loader_is_idempotent_and_its_logins_work(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("load_demo")
    call_command("load_demo")
    printed = capsys.readouterr().out
    assert "staff / パスワード kyosai-staff-2026" in printed
    response = client.post("/login/", {"username": "staff", "password": "kyosai-staff-2026"})
    assert response.status_code == 302
    assert "ログアウト（staff）" in client.get("/").content.decode()


def test_a_wrong_password_is_told_in_japanese(client: Client) -> None:
    call_command("load_demo")
    response = client.post("/login/", {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "ユーザー名またはパスワードが正しくありません" in response.content.decode()


def test_the_suite_runs_on_the_database_it_was_asked_for() -> None:
    # make test runs the suite twice: KYOSAI_DB=postgres must really mean PostgreSQL.
    expected = "postgresql" if os.environ.get("KYOSAI_DB") == "postgres" else "sqlite"
    assert connection.vendor == expected
