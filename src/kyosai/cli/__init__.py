"""`kyosai quote …`: statutory quotes with their trace, from the command line.

`kyosai.cli.tosan` and `kyosai.cli.shokibo` each register their quote kinds in `QUOTES`: a
name, a help line and a function that adds the kind's arguments and returns its handler. Wrong input gets one line in Japanese
and English on stderr and exit code 2, never a traceback.
"""

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn
from zoneinfo import ZoneInfo

from kyosai.rules.errors import RuleError
from kyosai.rules.trace import Trace

JAPAN = ZoneInfo("Asia/Tokyo")


class UsageError(Exception):
    """Bad command-line input, reported in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日付は YYYY-MM-DD で指定してください: {text!r}"
        ) from None


def month_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"月は YYYY-MM で指定してください: {text!r}") from None


def yen_arg(text: str) -> int:
    cleaned = text.replace(",", "").replace("_", "")
    if not cleaned.isdigit():
        raise argparse.ArgumentTypeError(f"金額は0以上の整数（円）で指定してください: {text!r}")
    return int(cleaned)


count_arg = yen_arg  # months and counts are whole non-negative numbers too


def positive_arg(text: str) -> int:
    """A number of things to make at once (pages to a file, worker processes): 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"1以上の整数で指定してください: {text!r}")
    return int(text)


def add_on_argument(parser: argparse.ArgumentParser, help_text: str = "計算の基準日") -> None:
    """`--on YYYY-MM-DD`, defaulting to today: the interface picks the date, the rules never do."""
    today = dt.datetime.now(tz=JAPAN).date()
    parser.add_argument("--on", type=date_arg, default=today, help=f"{help_text}（省略時は今日）")


Quote = Callable[[argparse.Namespace], tuple[str, Trace]]
Register = Callable[[argparse.ArgumentParser], Quote]


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Quote]]:
    parser = _Parser(prog="kyosai", description="共済の法定計算を根拠つきで表示します。")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    quote = commands.add_parser("quote", help="見積り（計算の根拠つき）")
    kinds = quote.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    handlers = {}
    # Imported here because the scheme modules import the argument types defined above.
    from kyosai.cli import shokibo, tosan

    for kind, (help_text, register) in {**tosan.QUOTES, **shokibo.QUOTES}.items():
        handlers[kind] = register(kinds.add_parser(kind, help=help_text, description=help_text))
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    parser, handlers = build_parser()
    try:
        args = parser.parse_args(argv)
        summary, trace = handlers[args.kind](args)
    except UsageError as exc:
        print(
            f"エラー: {exc} / error: invalid arguments (see kyosai quote --help)", file=sys.stderr
        )
        return 2
    except RuleError as exc:
        print(f"エラー: {exc.message_ja} / error: {exc.message_en}", file=sys.stderr)
        return 2
    print(trace.render())
    print(f"\n=> {summary}")
    return 0
