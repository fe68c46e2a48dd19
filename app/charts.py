"""Charts drawn on the server as inline SVG strings: no JavaScript, no CDN. Colours are
presentation attributes (the CSP blocks `style=` attributes); every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

PALETTE = ("#175cd3", "#7a5af8", "#b42318", "#067647", "#b54708")
WIDTH = 640
LABEL_WIDTH = 120
VALUE_ROOM = 56  # right of the longest bar, for its number
BAR_HEIGHT = 14
BAR_GAP = 2
GROUP_GAP = 14
LEGEND_HEIGHT = 30
FONT_SIZE = 12

Number = int | Decimal


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]  # one per category


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-label="{_text(title)}" font-size="{FONT_SIZE}">'
        f"<title>{_text(title)}</title>{''.join(body)}</svg>"
    )


def _legend(series: Sequence[Series]) -> list[str]:
    parts, x = [], LABEL_WIDTH
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="8" width="12" height="12" fill="{colour}" '
            f'class="chart-series-{index}"/>'
            f'<text x="{x + 16}" y="18" fill="#1f2933">{_text(item.name)}</text>'
        )
        x += 16 + FONT_SIZE * (len(item.name) + 2)
    return parts


def grouped_bar_chart(categories: Sequence[str], series: Sequence[Series], *, title: str) -> str:
    """Horizontal bars: one group per category, one bar per series, each with its number."""
    if not categories or not series:
        return _svg(
            LEGEND_HEIGHT,
            title,
            [f'<text x="0" y="18" fill="#66788a">{_text("暂无数据")}</text>'],
        )
    if any(len(item.values) != len(categories) for item in series):
        raise ValueError("every series needs one value per category")
    largest = max((value for item in series for value in item.values), default=0)
    scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / float(largest) if largest else 0.0
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    body = _legend(series)
    y = LEGEND_HEIGHT
    for position, category in enumerate(categories):
        middle = y + group_height / 2 + FONT_SIZE / 3
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" '
            f'fill="#1f2933">{_text(category)}</text>'
        )
        for index, item in enumerate(series):
            value = item.values[position]
            length = round(float(value) * scale, 1)
            colour = PALETTE[index % len(PALETTE)]
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
                f'fill="{colour}" class="chart-series-{index}">'
                f"<title>{_text(category)} {_text(item.name)}：{_text(value)}</title></rect>"
                f'<text x="{LABEL_WIDTH + length + 4}" y="{y + BAR_HEIGHT - 3}" '
                f'fill="#1f2933">{_text(value)}</text>'
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    return _svg(y, title, body)
