from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers import DEMO_PASSWORDS

pytestmark = [pytest.mark.e2e, pytest.mark.realdb]


def test_filler_logs_in_and_out_on_a_phone(live_server, phone, tmp_path):
    phone.goto(f"{live_server}/")
    assert phone.url.startswith(f"{live_server}/login")
    assert phone.get_by_role("heading", name="登录").is_visible()
    phone.get_by_label("用户名").fill("filler")
    phone.get_by_label("密码").fill(DEMO_PASSWORDS["filler"])
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server}/")
    assert "您好，东岭村 王会计" in phone.content()
    phone.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    phone.get_by_text("我的辖区").click()
    assert phone.get_by_role("heading", name="东岭村").is_visible()
    phone.get_by_role("button", name="退出（东岭村 王会计）").click()
    phone.wait_for_url(f"{live_server}/login")
    assert "您已安全退出" in phone.content()
    phone.goto(f"{live_server}/me")
    assert phone.url.startswith(f"{live_server}/login")


def test_wrong_password_shows_the_message_inline(live_server, phone):
    phone.goto(f"{live_server}/login")
    phone.get_by_label("用户名").fill("reviewer")
    phone.get_by_label("密码").fill("not-the-password")
    phone.get_by_role("button", name="登录").click()
    # the page the POST returns, waited for: on a busy machine it can come after the click
    expect(phone.get_by_text("用户名或密码错误")).to_be_visible()
