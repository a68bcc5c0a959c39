"""Inline SVG charts for the self-contained report (no scripts, no fonts to fetch), laid
out to fit a 390 px phone: 340 px wide, each label on its own line(s) above its bars and
wrapped by words, never cut; the previous period drawn beside the current one."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH = 340
FONT_SIZE = 11
# A generous average advance of system-ui at 11 px (the browser tests measure the real
# boxes): wrapping by this keeps every line inside the chart.
CHAR_WIDTH = 6.6
_FONT = f'font-family="system-ui, sans-serif" font-size="{FONT_SIZE}"'
CURRENT = "#2f6fde"
PREVIOUS = "#b8c7e0"
_VALUE_SPACE = 84  # right of the longest bar: "1.234,5 %" / "2 h 15 min"


def wrap(label: str, width: float) -> list[str]:
    """Words on lines no wider than `width`; a word longer than a line is split."""
    per_line = max(4, int(width // CHAR_WIDTH))
    lines: list[str] = []
    current = ""
    for word in label.split():
        while len(word) > per_line:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: per_line - 1] + "-")
            word = word[per_line - 1 :]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= per_line:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def _svg(title: str, height: float, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'width="{WIDTH}" height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 (every text is escaped)


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float | None, float | None, str]],
    *,
    previous_shown: bool = True,
    empty: str = "",
) -> Markup:
    """Horizontal bars: per row its label (wrapped), this period's bar with its value
    as the reader writes it (`shown`), and the previous period's bar, lighter; `empty`
    says so when there is no row."""
    if not rows:
        lines = wrap(empty, WIDTH - 8)
        texts = [
            f'<text x="2" y="{14 * (n + 1)}" {_FONT} fill="#52606d">{escape(line)}</text>'
            for n, line in enumerate(lines)
        ]
        return _svg(empty, 14 * len(lines) + 6, texts)
    top = max((v or 0 for _, a, b, _ in rows for v in (a, b)), default=0) or 1
    bar_space = WIDTH - _VALUE_SPACE
    parts: list[str] = []
    y = 4.0
    for label, current, previous, shown in rows:
        for line in wrap(label, WIDTH - 8):
            y += FONT_SIZE + 3
            # x=2: a glyph's side bearing (the "T" of "Troll") reaches left of its origin.
            parts.append(f'<text x="2" y="{y:.1f}" {_FONT}>{escape(line)}</text>')
        y += 4
        length = bar_space * (current or 0) / top
        parts.append(
            f'<rect x="0" y="{y:.1f}" width="{length:.1f}" height="10" fill="{CURRENT}">'
            f"<title>{escape(label)}: {escape(shown)}</title></rect>"
            f'<text x="{length + 6:.1f}" y="{y + 9:.1f}" {_FONT}>{escape(shown)}</text>'
        )
        y += 12
        if previous_shown:
            before = bar_space * (previous or 0) / top
            parts.append(
                f'<rect x="0" y="{y:.1f}" width="{before:.1f}" height="6" fill="{PREVIOUS}"></rect>'
            )
            y += 8
        y += 6
    return _svg(title, y + 2, parts)


def column_chart(
    title: str,
    points: Sequence[tuple[str, float]],
    previous: Sequence[float] = (),
    *,
    height: int = 150,
) -> Markup:
    """Vertical bars, one per day; the previous period's same day lighter, beside it.
    Day labels are thinned so none overlaps; each bar's value is in its tooltip, and
    above it when there is room."""
    count = max(len(points), 1)
    left, bottom = 4, 20
    step = (WIDTH - left) / count
    top = max([v for _, v in points] + list(previous) + [0]) or 1
    area = height - bottom - 16
    label_width = max((len(label) for label, _ in points), default=1) * CHAR_WIDTH + 6
    every = max(1, math.ceil(label_width / step))
    show_values = step >= 28
    parts: list[str] = []
    for index, (label, value) in enumerate(points):
        x = left + index * step
        if index < len(previous):
            before = area * previous[index] / top
            parts.append(
                f'<rect x="{x + step * 0.5:.1f}" y="{16 + area - before:.1f}" '
                f'width="{step * 0.35:.1f}" height="{before:.1f}" fill="{PREVIOUS}"></rect>'
            )
        bar = area * value / top
        y = 16 + area - bar
        number = f"{value:g}"
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{y:.1f}" width="{step * 0.4:.1f}" '
            f'height="{bar:.1f}" fill="{CURRENT}"><title>{escape(label)}: {number}</title></rect>'
        )
        if show_values:
            parts.append(
                f'<text x="{x + step * 0.3:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f"{_FONT}>{number}</text>"
            )
        if index % every == 0:
            anchor_x = min(max(x + step * 0.3, label_width / 2), WIDTH - label_width / 2)
            parts.append(
                f'<text x="{anchor_x:.1f}" y="{height - 6}" text-anchor="middle" {_FONT}>'
                f"{escape(label)}</text>"
            )
    return _svg(title, height, parts)
