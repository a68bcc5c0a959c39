"""Inline SVG bar charts for the self-contained report (no scripts, no fonts to fetch)."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

_FONT = 'font-family="system-ui, sans-serif" font-size="11"'
_CURRENT = "#2f6fde"
_PREVIOUS = "#b8c7e0"


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"


def column_chart(title: str, points: list[tuple[str, float]], *, height: int = 160) -> Markup:
    """Vertical bars, one per label (volume by day)."""
    width = max(320, 34 * len(points) + 40)
    top = max((v for _, v in points), default=0) or 1
    bar_area = height - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(points):
        bar = bar_area * value / top
        x = 30 + index * 34
        y = 20 + bar_area - bar
        parts.append(
            f'<rect x="{x}" y="{y:.1f}" width="24" height="{bar:.1f}" fill="{_CURRENT}">'
            f"<title>{escape(label)}: {_number(value)}</title></rect>"
            f'<text x="{x + 12}" y="{y - 4:.1f}" text-anchor="middle" {_FONT}>'
            f"{_number(value)}</text>"
            f'<text x="{x + 12}" y="{height - 6}" text-anchor="middle" {_FONT}>'
            f"{escape(label[-5:])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (labels and titles are escaped above)


def bar_chart(
    title: str, rows: list[tuple[str, float | None, float | None]], *, unit: str = ""
) -> Markup:
    """Horizontal bars, this period beside the previous one (lighter)."""
    label_width, bar_width, row_height = 170, 260, 30
    height = 10 + row_height * len(rows)
    width = label_width + bar_width + 80
    top = max((v or 0 for _, a, b in rows for v in (a, b)), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
    ]
    for index, (label, current, previous) in enumerate(rows):
        y = 6 + index * row_height
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" {_FONT}>'
            f"{escape(label)}</text>"
        )
        for offset, value, colour in ((0, current, _CURRENT), (14, previous, _PREVIOUS)):
            length = bar_width * (value or 0) / top
            parts.append(
                f'<rect x="{label_width}" y="{y + offset}" width="{length:.1f}" height="11" '
                f'fill="{colour}"></rect>'
            )
        shown = "-" if current is None else f"{_number(current)}{unit}"
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 10}" {_FONT}>{shown}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (labels and titles are escaped above)
