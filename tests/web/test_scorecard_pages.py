"""The scorecard pages: the table, the chart and the downloads (CSV with a BOM in the published
layout, Excel), the month range and its errors. Who may open them: test_access_matrix.py."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from openpyxl import load_workbook

from kyosai.procedures.models import Procedure
from kyosai.scorecards.tallies import refresh
from tests.domain.test_scorecards import at, make, times
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db
C, S = Procedure.Channel, Procedure.Status
RANGE = {"first": "2023-09", "last": "2024-04"}


@pytest.fixture
def reviewer() -> Client:
    user = User.objects.create_user("reviewer", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    # tosan 加入: September 1 online of 4 (25.0 %), April 2024 3 of 3 (100.0 %).
    make("enrollment", "tosan", C.ONLINE, at(2023, 9), (S.APPROVED, 0))
    times(3, "enrollment", "tosan", C.PAPER, at(2023, 9), (S.CHECKING, 0), (S.APPROVED, 30))
    times(3, "enrollment", "tosan", C.ONLINE, at(2024, 4), (S.DEFICIENT, 0))
    refresh(today=dt.date(2024, 5, 1))
    return sign_in(Client(), user)


def test_the_online_page_shows_the_table_and_a_chart_per_procedure(reviewer: Client) -> None:
    page = reviewer.get("/staff/scorecards/", RANGE).content.decode()
    assert "オンライン利用率（スコアカード）" in page
    assert page.count("<svg") == 7  # one chart per target procedure
    assert "25.0%" in page and "100.0%" in page
    assert "R5.9-R6.3" in page and "R6.4-R6.4" in page


def test_the_csv_is_the_published_layout_with_a_bom(reviewer: Client) -> None:
    response = reviewer.get("/staff/scorecards/online/csv/", RANGE)
    assert (
        response["Content-Disposition"] == 'attachment; filename="online_usage_202309-202404.csv"'
    )
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["procedure", "R5.9", "R5.10"]
    assert rows[0][-2:] == ["R5.9-R6.3", "R6.4-R6.4"]
    tosan = next(r for r in rows if r[0] == "tosan_enrollment")
    assert (tosan[1], tosan[8], tosan[-2], tosan[-1]) == ("25.0", "100.0", "25.0", "100.0")
    assert next(r for r in rows if r[0] == "tosan_cancellation")[1] == ""  # online from R7.9


def test_the_excel_workbook_has_the_rates_and_the_counts(reviewer: Client) -> None:
    response = reviewer.get("/staff/scorecards/online/xlsx/", RANGE)
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["オンライン利用率", "件数"]
    rates = {row[0]: row for row in book["オンライン利用率"].iter_rows(values_only=True)}
    assert rates["tosan_enrollment"][1] == 25.0  # a number, shown 0.0
    counts = list(book["件数"].iter_rows(values_only=True))
    assert ("tosan_enrollment", "R5.9", 1, 0, 3, 1, 4, 25.0, 20.0) in counts


def test_the_operations_page_and_its_downloads(reviewer: Client) -> None:
    page = reviewer.get("/staff/scorecards/operations/", RANGE).content.decode()
    assert "STP率・不備率・処理時間" in page and "30.0時間" in page
    body = reviewer.get("/staff/scorecards/operations/csv/", RANGE).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["手続", "制度", "申請経路", "受付件数"]
    online = next(r for r in rows if r[2] == "オンライン")
    # 4 online: 1 approved at once (STP), 3 sent back 不備 and not decided.
    assert online[3:11] == ["4", "1", "1", "100.0", "3", "75.0", "0.0", "0.0"]
    book = load_workbook(
        io.BytesIO(reviewer.get("/staff/scorecards/operations/xlsx/", RANGE).content)
    )
    assert book.sheetnames == ["STP・不備・処理時間"]


def test_an_unknown_format_is_not_found(reviewer: Client) -> None:
    assert reviewer.get("/staff/scorecards/online/pdf/").status_code == 404


def test_a_wrong_range_says_why_and_shows_the_default(reviewer: Client) -> None:
    page = reviewer.get("/staff/scorecards/", {"first": "2024-04", "last": "2023-09"})
    assert "終了月は開始月と同じか、それより後にしてください。" in page.content.decode()
    too_long = reviewer.get(
        "/staff/scorecards/operations/", {"first": "2000-01", "last": "2024-01"}
    )
    assert "120か月まで" in too_long.content.decode()
