"""Server-side SVG charts (app/charts.py): well-formed, escaped, proportional, and styled
only with presentation attributes (the CSP blocks inline styles)."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

import pytest

from app.charts import Series, grouped_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _bars(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]


def test_one_bar_per_category_and_series_proportional_to_its_value():
    svg = grouped_bar_chart(
        ["东岭镇", "白沙乡"],
        [Series("合计", [80, 40]), Series("手工", [20, Decimal("10")])],
        title="字段",
    )
    root = _parse(svg)
    bars = _bars(root)
    assert len(bars) == 4
    widths = [float(bar.get("width")) for bar in bars]
    # category by category: 东岭镇 合计 80, 手工 20, then 白沙乡 合计 40, 手工 10
    assert widths[0] == pytest.approx(4 * widths[1])
    assert widths[0] == pytest.approx(2 * widths[2])
    assert widths[0] == pytest.approx(8 * widths[3])
    assert {bar.get("fill") for bar in bars[::2]} != {bar.get("fill") for bar in bars[1::2]}
    assert root.find(f"{SVG}title").text == "字段"
    assert "style=" not in svg and "<script" not in svg


def test_every_text_is_escaped():
    svg = grouped_bar_chart(
        ['<script>alert("x")</script>'], [Series("a&b", [1])], title="<t> & 'q'"
    )
    assert "<script>" not in svg
    root = _parse(svg)  # still well-formed XML
    texts = [node.text for node in root.iter(f"{SVG}text")]
    assert '<script>alert("x")</script>' in texts and "a&b" in texts
    assert root.get("aria-label") == "<t> & 'q'"


def test_no_data_draws_a_plain_message():
    root = _parse(grouped_bar_chart([], [], title="空"))
    assert [node.text for node in root.iter(f"{SVG}text")] == ["暂无数据"]
    zeros = _parse(grouped_bar_chart(["甲"], [Series("合计", [0])], title="零"))
    assert [bar.get("width") for bar in _bars(zeros)] == ["0.0"]


def test_a_series_must_give_one_value_per_category():
    with pytest.raises(ValueError):
        grouped_bar_chart(["甲", "乙"], [Series("合计", [1])], title="错")
