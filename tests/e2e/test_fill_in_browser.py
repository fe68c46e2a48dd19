"""Issue acceptance: a filler opens the due form in a real browser, sees prefilled and
locked values, fills the rest, submits; each report's own view shows the shared answers
without retyping."""

from __future__ import annotations

import re

import pytest

from tests.helpers import DEMO_PASSWORDS

pytestmark = [pytest.mark.e2e, pytest.mark.realdb]


def _log_in_as_filler(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill("filler")
    page.get_by_label("密码").fill(DEMO_PASSWORDS["filler"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def test_filler_fills_the_merged_form_once(live_server, phone, tmp_path):
    _log_in_as_filler(phone, live_server)
    phone.get_by_role("link", name="本期待报").click()
    phone.locator(".due-list a").first.click()
    phone.wait_for_url(re.compile(r".*/orgs/439901100201/forms/\d{4}-\d{2}$"))

    population = phone.locator(".answer[data-key=POP_REG]")
    assert population.locator("input").is_disabled()
    assert population.locator("input").input_value() != ""
    assert "共享数据" in population.inner_text() and "免填" in population.inner_text()

    typed = {}
    for box in phone.locator(".answer:not(.locked)").all():
        field = box.locator("input[type=text], input:not([type]), input[inputmode]").first
        if field.count() and field.input_value() == "":
            key = box.get_attribute("data-key")
            field.fill("7")
            typed[key] = "7"
    assert typed, "the demo form should leave something to type"
    phone.screenshot(path=str(tmp_path / "filled.png"), full_page=True)
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_load_state()
    flash = phone.locator(".flash").first.inner_text()
    assert flash.startswith("已提交。")
    assert "项已自动填好" in flash

    shared_population = population_value = None
    phone.goto(phone.url)
    population_value = phone.locator(".answer[data-key=POP_REG] input").input_value()
    report_links = phone.locator("a[href*='/reports/R']").all()
    assert len(report_links) >= 2
    hrefs = [link.get_attribute("href") for link in report_links]
    for href in hrefs:
        phone.goto(f"{live_server}{href}")
        table = phone.locator("table.report-view").inner_text()
        assert "未填" not in table, f"{href} should be complete without retyping"
        if "户籍人口" in table:
            shared_population = table
            assert population_value in table
            assert "共享数据" in table
    assert shared_population is not None
