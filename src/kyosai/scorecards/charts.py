"""Inline SVG line charts drawn on the server: a procedure's monthly online share against its
target. Plain markup (no script, no external file), readable without colour: the share is a
solid line with points, the target a dashed line, and the figures are in the table beside it."""

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 14, 30


def share_chart(
    title: str,
    labels: Sequence[str],
    shares: Sequence[Decimal | None],
    targets: Sequence[Decimal | None],
) -> str:
    """The chart of one procedure: `shares` and `targets` (percent) per month in `labels`."""
    known = [v for v in (*shares, *targets) if v is not None]
    top = max(50, _round_up(max(known, default=Decimal(0))))
    n = len(labels)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)

    def y(v: Decimal) -> float:
        return TOP + inner_h * (1 - float(v) / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for step in range(0, top + 1, 10):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(Decimal(step)):.1f}" '
            f'y2="{y(Decimal(step)):.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y(Decimal(step)) + 4:.1f}" font-size="11" '
            f'text-anchor="end">{step}%</text>'
        )
    every = max(1, n // 12)
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - 10}" font-size="11" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append(_line(targets, x, y, 'stroke="#b00" stroke-dasharray="6 4"', "目標"))
    parts.append(_line(shares, x, y, 'stroke="#1f5fa8" stroke-width="2"', "利用率"))
    for i, v in enumerate(shares):
        if v is not None:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="#1f5fa8">'
                f"<title>{escape(labels[i])} {v}%</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _line(
    values: Sequence[Decimal | None],
    x: Callable[[int], float],
    y: Callable[[Decimal], float],
    style: str,
    name: str,
) -> str:
    """A polyline per run of known values (a gap where a month has none)."""
    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append(f"{x(i):.1f},{y(v):.1f}")
    return "".join(
        f'<polyline fill="none" {style} points="{" ".join(run)}"><title>{name}</title></polyline>'
        for run in runs
        if run
    )


def _round_up(value: Decimal) -> int:
    return int((value + 9) // 10 * 10)
