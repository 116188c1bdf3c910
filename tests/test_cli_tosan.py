"""`kyosai quote tosan-…`: each kind prints its trace and summary; bad input exits 2."""

import pytest

from kyosai.cli import main

CASES = [
    (
        ["tosan-refund", "--monthly", "50000", "--months", "30", "--on", "2026-04-01"],
        "解約手当金 1,350,000円",
    ),
    (
        [
            "tosan-loan",
            "--monthly",
            "100000",
            "--months",
            "30",
            "--insolvency-on",
            "2025-07-20",
            "--joined",
            "2023-01",
            "--damage",
            "27000000",
            "--claim-on",
            "2025-08-01",
            "--lent-on",
            "2025-09-10",
        ],
        "共済金 27,000,000円、5年・54回（初回 2026-04-27 500,000円、最終回 2030-09-27 500,000円）"
        "、権利消滅する掛金 2,700,000円",
    ),
    (
        [
            "tosan-loan",
            "--monthly",
            "5000",
            "--months",
            "5",
            "--insolvency-on",
            "2025-06-15",
            "--joined",
            "2025-01",
            "--damage",
            "1000000",
            "--claim-on",
            "2025-07-01",
        ],
        "共済金の貸付け: 不可",
    ),
    (
        ["tosan-temp-loan", "--monthly", "100000", "--months", "24", "--on", "2026-04-01"],
        "一時貸付金 限度額 1,800,000円、貸付額 1,800,000円、前払利息 16,200円",
    ),
    (
        ["tosan-temp-loan", "--monthly", "200000", "--months", "11", "--on", "2026-04-01"],
        "一時貸付金（限度額 0円）: 不可",
    ),
    (
        ["tosan-prepay-discount", "--monthly", "80000", "--months", "11", "--on", "2025-10-01"],
        "前納減額金 4,752円",
    ),
    (
        [
            "tosan-early-repayment",
            "--loan",
            "70000000",
            "--lent-on",
            "2025-01-10",
            "--repaid-on",
            "2029-01-15",
        ],
        "早期償還手当金 539,000円",
    ),
    (
        [
            "tosan-eligibility",
            "--industry",
            "inn",
            "--capital",
            "60000000",
            "--employees",
            "200",
            "--started-on",
            "2020-01-01",
            "--on",
            "2026-04-01",
        ],
        "加入資格: あり",
    ),
    (
        [
            "tosan-eligibility",
            "--organisation",
            "npo",
            "--industry",
            "service",
            "--capital",
            "0",
            "--employees",
            "3",
            "--started-on",
            "2020-01-01",
            "--on",
            "2026-04-01",
        ],
        "加入資格: 不可（NPO法人はこの共済に加入できません",
    ),
    (
        ["tosan-tax-window", "--cancelled-on", "2024-10-01", "--paid-on", "2026-10-01"],
        "損金・必要経費にならない期間: 2024-10-01〜2026-09-30、2026-10-01 の掛金は算入できる",
    ),
    (["tosan-tax-window", "--cancelled-on", "2024-09-30"], "再加入後の掛金: 制限なし"),
]


@pytest.mark.parametrize(("argv", "summary"), CASES)
def test_each_kind_prints_trace_and_summary(
    argv: list[str], summary: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quote", *argv]) == 0
    out = capsys.readouterr().out
    assert out.startswith("■ ")
    assert "使用したパラメータ:" in out
    assert f"=> {summary}" in out


BAD = [
    ["tosan-refund", "--monthly", "50000"],
    # 倒産日より前の請求
    [
        "tosan-loan",
        "--monthly",
        "100000",
        "--months",
        "30",
        "--insolvency-on",
        "2025-07-20",
        "--joined",
        "2023-01",
        "--damage",
        "27000000",
        "--claim-on",
        "2025-07-01",
    ],
    ["tosan-temp-loan", "--monthly", "80000", "--months", "39", "--legacy", "--on", "2026-04-01"],
    ["tosan-prepay-discount", "--monthly", "7000", "--months", "11", "--on", "2026-04-01"],
    # 償還期間5年・4年前: 支給率が公表されていない
    [
        "tosan-early-repayment",
        "--loan",
        "5000000",
        "--lent-on",
        "2025-01-10",
        "--repaid-on",
        "2026-01-15",
    ],
    ["tosan-eligibility", "--industry", "retail", "--employees", "3", "--started-on", "2020-01-01"],
    ["tosan-tax-window", "--cancelled-on", "2024/10/01"],
]


@pytest.mark.parametrize("argv", BAD)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quote", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("エラー: ") and captured.err.count("\n") == 1


def test_an_invalid_monthly_premium_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["quote", "tosan-refund", "--monthly", "7000", "--months", "30"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "5,000円単位" in err


def test_loan_quote_prints_every_instalment(capsys: pytest.CaptureFixture[str]) -> None:
    # 30,000,000 / 54 leaves 30円: the first instalment carries it (loan_remainder_instalment [I]).
    args = [
        "tosan-loan",
        "--monthly",
        "100000",
        "--months",
        "30",
        "--insolvency-on",
        "2025-07-20",
        "--joined",
        "2023-01",
        "--damage",
        "30000000",
        "--claim-on",
        "2025-08-01",
        "--lent-on",
        "2025-09-10",
    ]
    assert main(["quote", *args]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("  第")]
    assert len(lines) == 54
    assert lines[0].split() == ["第", "1回", "2026-04-27", "555,585円"]
    assert lines[-1].split() == ["第54回", "2030-09-27", "555,555円"]
