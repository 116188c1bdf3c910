"""加入促進計画: the import command (a good file, a bad file refused whole with its lines), the
administrator's form, and what each is audited as."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kyosai.core.models import AuditLog
from kyosai.reports.models import PlanTarget
from kyosai.reports.plan import PlanError, read_plan_file
from kyosai.reports.selectors import plan_of
from tests.helpers import sign_in

R8 = Path("/work/shared/data/tosan_plan_r8_targets.csv")
HEADER = "scheme,fiscal_year,dimension,key,target\n"

pytestmark = pytest.mark.django_db


def import_plan(path: Path) -> str:
    out = io.StringIO()
    call_command("reports", "import-plan", str(path), stdout=out)
    return out.getvalue()


def test_the_r8_plan_is_imported_whole_and_audited() -> None:
    assert "経営セーフティ共済 令和8年度の加入促進計画を取り込みました（18行）" in import_plan(R8)
    stored = {(t.dimension, t.key): (t.target, t.share) for t in plan_of(2026)}
    assert stored[("block", "関東")] == (18720, None)  # 別表1
    assert stored[("industry", "transport")] == (1700, None)  # 別表2 運輸・通信業
    assert stored[("total", "合計")] == (50000, None)
    assert stored[("online_share_target", "新規加入")] == (None, Decimal("0.3000"))
    assert len(stored) == 18
    audit = AuditLog.objects.get(action="plan.replace")
    assert audit.data["source"] == "file:tosan_plan_r8_targets.csv" and audit.data["before"] == []
    # The same file again replaces the plan with itself: still 18 lines.
    import_plan(R8)
    assert PlanTarget.objects.count() == 18


def test_a_bad_file_is_refused_whole_with_every_line_named(tmp_path: Path) -> None:
    import_plan(R8)
    good = R8.read_text(encoding="utf-8").splitlines()[1:]
    bad = tmp_path / "plan.csv"
    bad.write_text(
        HEADER
        + "\n".join(line.replace("2026", "2027") for line in good)
        .replace(
            "関東,18720",
            "関東,18,720",  # line 4: a thousands comma makes a sixth column
        )
        .replace("九州,5870", "沖縄,5870")  # line 10: not a block
        + "\nshokibo,2027,industry,農業,1"  # line 20: not an industry
        + "\nshokibo,2027,industry,製造業,1\n",  # line 21: a shokibo plan without 合計
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        import_plan(bad)
    message = str(refused.value)
    assert "4行目 列: 列の数が5ではありません" in message
    assert "10行目 key: ブロック「沖縄」はありません" in message
    assert "20行目 key: 業種「農業」はありません" in message
    # The blocks left no longer add up, and the shokibo plan has no 合計.
    assert "18行目 key: 2027年度の地域（ブロック）別目標に 関東・九州 がありません" in message
    assert "21行目 dimension: shokibo 2027年度の合計の行がありません" in message
    assert PlanTarget.objects.filter(fiscal_year=2027).count() == 0  # nothing kept
    assert PlanTarget.objects.filter(fiscal_year=2026).count() == 18  # nor anything lost


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"a,b\n", "1行目 見出し: 1行目は scheme,fiscal_year,dimension,key,target にしてください"),
        ("見出し".encode("shift_jis"), "1行目 ファイル: 文字コードはUTF-8にしてください"),
        (HEADER.encode(), "2行目 ファイル: 目標の行がありません"),
        ((HEADER + "tosan,2026,block,北海道,-5\n").encode(), "2行目 target: 目標件数は0以上の整数"),
        ((HEADER + "tosan,R8,total,合計,5\n").encode(), "2行目 fiscal_year: 年度は西暦の4桁"),
        (
            (HEADER + "tosan,2026,online_share_target,新規加入,30\n").encode(),
            "2行目 target: 割合は0から1までの小数",
        ),
        ((HEADER + "tosan,2026,model_prefecture,東京,\n").encode(), "都道府県「東京」はありません"),
        ((HEADER + "tosan,2026,region,関東,5\n").encode(), "2行目 dimension: dimension は"),
        (
            (HEADER + "tosan,2026,total,合計,5\ntosan,2026,total,合計,5\n").encode(),
            "3行目 key: 合計 は2行目と重複しています",
        ),
    ],
)
def test_bad_lines(text: bytes, problem: str) -> None:
    with pytest.raises(PlanError) as refused:
        read_plan_file(text)
    assert problem in refused.value.message_ja


def test_blocks_must_add_up_to_the_total() -> None:
    text = R8.read_bytes().replace(
        b"total,\xe5\x90\x88\xe8\xa8\x88,50000", "total,合計,50001".encode()
    )
    with pytest.raises(PlanError) as refused:
        read_plan_file(text)
    assert (
        "18行目 target: 2026年度の地域（ブロック）別目標の計 50,000件が合計 50,001件と一致しません"
        in (refused.value.message_ja)
    )


def admin_client() -> tuple[Client, User]:
    user = User.objects.create_user("plan-admin", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="administrator")[0])
    return sign_in(Client(), user), user


def form_data(total: int = 23, **changes: object) -> dict[str, object]:
    blocks = [4, 1, 8, 1, 1, 3, 1, 1, 3]
    industries = {"construction": 3, "manufacturing": 3, "wholesale": 1, "retail": 3,
                  "transport": 2, "service": 10, "other": 1}  # fmt: skip
    return {
        **{f"block_{i}": v for i, v in enumerate(blocks)},
        **{f"industry_{k}": v for k, v in industries.items()},
        "total": total, "online_share_pct": "30", "model_prefectures": ["02", "12"],
        **changes,
    }  # fmt: skip


def test_an_administrator_enters_next_years_plan() -> None:
    client, user = admin_client()
    url = "/staff/reports/plan/edit/?scheme=shokibo&fiscal_year=2027"
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 12, 3)):
        assert "令和9年度 加入促進計画の入力（小規模企業共済）" in client.get(url).content.decode()
        refused = client.post(url, form_data(total=24))
        assert (
            "地域（ブロック）別目標の計 23件が合計 24件と一致しません" in refused.content.decode()
        )
        assert not PlanTarget.objects.exists()
        saved = client.post(url, form_data())
        assert saved.status_code == 302 and saved["Location"].endswith("?fiscal_year=2027")
        client.post(url, form_data())  # a double submit: the same plan
        again = client.get(url).content.decode()  # the stored plan, to correct
        assert 'name="online_share_pct" value="30"' in again and 'value="8"' in again
    stored = {(t.dimension, t.key): (t.target, t.share) for t in plan_of(2027)}
    assert len(stored) == 9 + 7 + 1 + 1 + 2
    assert stored[("online_share_target", "新規加入")] == (None, Decimal("0.3000"))
    assert stored[("model_prefecture", "02")] == (None, None)  # 青森県
    audits = AuditLog.objects.filter(action="plan.replace").order_by("pk")
    assert [a.actor for a in audits] == [user, user]
    assert (
        audits[1].data["before"] == audits[1].data["after"] and audits[1].data["source"] == "form"
    )
    page = client.get("/staff/reports/plan/?fiscal_year=2027").content.decode()
    assert "青森県" in page and "30%以上" in page
    csv_text = client.get("/staff/reports/plan/?fiscal_year=2027&format=csv&table=plan")
    # The download reads back as a plan file.
    assert len(read_plan_file(csv_text.content)) == 20


@pytest.mark.parametrize("role", ["reviewer", "approver"])
def test_only_administrators_enter_a_plan(role: str) -> None:
    user = User.objects.create_user(f"{role}-plan", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    client = sign_in(Client(), user)
    assert client.post("/staff/reports/plan/edit/", form_data()).status_code == 403
    assert not PlanTarget.objects.exists()
    assert "計画を入力・修正する" not in client.get("/staff/reports/plan/").content.decode()
