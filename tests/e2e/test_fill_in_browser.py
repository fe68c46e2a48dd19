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
    phone.get_by_role("link", name="本期待报", exact=True).click()
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


def _first_open_number(phone, live_server):
    """The filler's first due form, open at its first numeric field not locked."""
    _log_in_as_filler(phone, live_server)
    phone.goto(f"{live_server}/due")
    phone.locator(".due-list a").first.click()
    # autosave.js is deferred: the load event is when it listens for changes.
    phone.wait_for_url("**/forms/**")
    phone.wait_for_load_state("load")
    return (
        phone.locator(".answer:not(.locked)")
        .filter(has=phone.locator("input[inputmode=numeric]"))
        .first
    )


def test_changes_autosave_without_pressing_save(live_server, phone):
    box = _first_open_number(phone, live_server)
    key = box.get_attribute("data-key")
    box.locator("input").fill("42")
    box.locator("input").blur()
    status = phone.locator("#autosave-status")
    status.filter(has_text="已自动保存").wait_for(timeout=5000)
    phone.reload()
    assert phone.locator(f".answer[data-key='{key}'] input").input_value() == "42"
    assert "已填" in phone.locator(f".answer[data-key='{key}']").inner_text()


def test_autosave_shows_a_validation_message_inline(live_server, phone):
    box = _first_open_number(phone, live_server)
    box.locator("input").fill("abc")
    box.locator("input").blur()
    box.locator(".error.autosave").wait_for(timeout=5000)
    assert box.locator(".error.autosave").inner_text() == "须为数字"
    assert phone.locator("#autosave-status").inner_text() == "有数据未通过校验，未保存"
