"""`kyosai quote shokibo-…`: real figures in the output, one-line errors with exit code 2."""

import pytest

from kyosai.cli import main


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        # W1 (§10, jcca-shiga anchor) and W12 (per-slice rule), history from 2019-04: 付加 0.
        (
            [
                "shokibo-benefit",
                "--monthly",
                "10000",
                "--months",
                "240",
                "--first-month",
                "2019-04",
                "--on",
                "2039-04-01",
            ],
            "=> 共済金A 2,786,400円",
        ),
        (
            [
                "shokibo-benefit",
                "--history",
                "10000x60,20000x60",
                "--first-month",
                "2019-04",
                "--on",
                "2029-04-01",
            ],
            "=> 共済金A 1,912,000円",
        ),
        (
            [
                "shokibo-benefit",
                "--monthly",
                "10000",
                "--months",
                "360",
                "--event",
                "B",
                "--on",
                "2049-04-01",
                "--first-month",
                "2019-04",
            ],
            "=> 共済金B 4,211,800円",
        ),
        (
            ["shokibo-refund", "--monthly", "10000", "--months", "180", "--on", "2025-01-01"],
            "=> 解約手当金 1,665,000円",
        ),
        (
            [
                "shokibo-receipt",
                "--method",
                "instalment",
                "--net",
                "3200000",
                "--age",
                "62",
                "--on",
                "2024-06-01",
            ],
            "=> この受取方法を選べます",
        ),
        (
            [
                "shokibo-receipt",
                "--method",
                "combined",
                "--net",
                "3200000",
                "--lump",
                "300000",
                "--age",
                "62",
                "--on",
                "2024-06-01",
            ],
            "below_combined_minimum",
        ),
        (
            [
                "shokibo-loan-limit",
                "--premiums",
                "2400000",
                "--months",
                "240",
                "--on",
                "2025-04-30",
            ],
            "=> 一般貸付けの限度額 2,150,000円",
        ),
        (
            ["shokibo-loan-schedule", "--amount", "3000000", "--term", "24", "--on", "2025-04-30"],
            "=> 利息の合計 56,250円",
        ),
        (
            # L8: 緊急経営安定, 1,000万 at most, whatever the premiums allow beyond it.
            [
                "shokibo-loan-limit",
                "--kind",
                "emergency",
                "--premiums",
                "30000000",
                "--months",
                "400",
                "--on",
                "2026-11-10",
            ],
            "=> 緊急経営安定貸付けの限度額 10,000,000円",
        ),
        (
            [
                "shokibo-eligibility",
                "--position",
                "sole_proprietor",
                "--industry",
                "retail",
                "--employees",
                "5",
                "--on",
                "2024-04-01",
            ],
            "=> 加入できます",
        ),
        (
            [
                "shokibo-eligibility",
                "--position",
                "co_manager",
                "--industry",
                "retail",
                "--employees",
                "5",
                "--on",
                "2024-04-01",
            ],
            "co_manager_not_managing",
        ),
        (["shokibo-tsusan", "--event-on", "2024-06-15", "--on", "2025-06-15"], "=> 通算できます"),
        (
            [
                "shokibo-tsusan",
                "--type",
                "succession",
                "--relation",
                "other",
                "--event-on",
                "2024-06-15",
                "--on",
                "2024-07-01",
            ],
            "not_spouse_or_child",
        ),
        (
            [
                "shokibo-prepay-discount",
                "--monthly",
                "10000",
                "--months",
                "11",
                "--on",
                "2025-01-01",
            ],
            "=> 前納減額金 594円",
        ),
    ],
)
def test_quote_prints_trace_and_summary(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quote", *argv]) == 0
    out = capsys.readouterr().out
    assert expected in out
    assert out.startswith("■ 小規模企業共済")


@pytest.mark.parametrize(
    "argv",
    [
        ["shokibo-benefit", "--monthly", "10000"],  # --months missing
        ["shokibo-benefit", "--history", "10000*60"],
        ["shokibo-benefit", "--monthly", "10250", "--months", "12"],  # not 500円 steps
        ["shokibo-refund", "--monthly", "10000", "--months", "12", "--first-month", "2003-01"],
        [
            "shokibo-receipt",
            "--method",
            "instalment",
            "--net",
            "100",
            "--lump",
            "200",
            "--age",
            "62",
        ],
        ["shokibo-loan-limit", "--premiums", "-5", "--months", "12"],
        ["shokibo-loan-schedule", "--amount", "1000000", "--term", "60"],
        ["shokibo-eligibility", "--position", "sole_proprietor", "--employees", "3"],
        ["shokibo-tsusan", "--event-on", "2024-13-01"],
        ["shokibo-prepay-discount", "--monthly", "abc", "--months", "3"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quote", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("エラー: ")
    assert err.count("\n") == 1


def test_a_history_beyond_the_calendar_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["quote", "shokibo-benefit", "--monthly", "10000", "--months", "100000"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "範囲外" in err and "Traceback" not in err


def test_retirement_deduction_w15(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "shokibo-retirement-deduction", "--months", "241"]) == 0
    assert "退職所得控除額 8,700,000円（勤続21年）" in capsys.readouterr().out
    assert main(["quote", "shokibo-retirement-deduction", "--months", "0"]) == 2


@pytest.mark.parametrize("kind", ["shokibo-benefit", "shokibo-refund"])
def test_a_monthly_amount_above_the_legal_maximum_is_refused_at_once(
    kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # 法4条2項: at most 70,000円. A trillion yen a month would be 2 × 10⁹ slices to count (the
    # fuzz test once found it eating all memory); it is refused before any slice is made.
    code = main(
        ["quote", kind, "--monthly", "1000000000000", "--months", "1", "--on", "2026-11-10"]
    )
    _, err = capsys.readouterr()
    assert code == 2 and "70,000円以下" in err and err.count("\n") == 1
