from __future__ import annotations

import pytest

from tests.helpers import DEMO_PASSWORDS
from tests.samples_path import SAMPLES

pytestmark = [pytest.mark.e2e, pytest.mark.realdb]


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def test_owner_uploads_a_template_and_confirms_the_mapping(live_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    _log_in(page, live_server, "owner")
    page.goto(f"{live_server}/reports/import")
    page.get_by_label("报表模板（Excel .xlsx、XLSForm 或 JSON）").set_input_files(
        str(SAMPLES / "reports" / "p7_minzheng_jiuzhu_monthly.xlsx")
    )
    page.get_by_role("button", name="上传并识别").click()
    # The upload answers with a redirect: read the page once the report's own page is shown.
    page.get_by_text("请逐项确认字段对应的指标").first.wait_for()
    assert "请逐项确认字段对应的指标" in page.content()
    assert page.get_by_role("heading", name="社会救助对象月报").is_visible()
    relief = page.get_by_label("临时救助（人次） 对应")
    assert relief.input_value() == "el:TEMP_RELIEF"
    assert page.get_by_label("村（社区）名称 对应").input_value() == "role:org_name"
    page.screenshot(path=str(tmp_path / "mapping.png"), full_page=True)
    page.get_by_role("button", name="保存对应关系").click()
    page.get_by_text("对应关系已保存，全部字段已确认").first.wait_for()
    assert "对应关系已保存，全部字段已确认" in page.content()
    assert "字段对应关系已确认" in page.content()
    context.close()
