"""The scan flow in Chromium: the printed notice's SVG QR code, rendered by the browser and
read from a screenshot with zxing-cpp, opens the verification page; 去填报 asks the
village filler to log in and lands on what is due, with that report highlighted."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image

from tests.helpers import DEMO_PASSWORDS

pytestmark = [pytest.mark.e2e, pytest.mark.realdb]

BASE = "https://reportonce.example.test"  # TestingConfig.EXTERNAL_BASE_URL


def _decode(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1, "expected exactly one QR code in the screenshot"
    return results[0].text


def _admission_code(page, live_server: str, report: str) -> str:
    admissions = page.request.get(f"{live_server}/api/v1/admissions?status=approved").json()
    return next(item["code"] for item in admissions if item["report"] == report)


def _on_this_server(url: str, live_server: str) -> str:
    """A phone would open the public host; here the same app listens on the live server."""
    assert url.startswith(f"{BASE}/")
    return live_server + url.removeprefix(BASE)


def _bare_svgs_decode_and_say_their_standing(browser, live_server: str) -> None:
    """Each code's bare SVG, drawn large by Chromium, decodes to a link saying its standing."""
    context = browser.new_context(viewport={"width": 600, "height": 600}, locale="zh-CN")
    page = context.new_page()
    code = _admission_code(page, live_server, "R0008")
    # R0004's admission is revoked: it is not in the API list, so find it on the register.
    page.goto(f"{live_server}/register?show=all&q=留守")
    revoked = re.search(r"/admissions/([^/]+)/notice", page.content()).group(1)

    for admission_code, standing in ((code, "有效"), (revoked, "已撤销")):
        page.set_content(
            f'<body style="margin:0;background:#fff">'
            f'<img id="qr" src="{live_server}/admissions/{admission_code}/qr.svg" '
            f'width="480" height="480"></body>'
        )
        page.wait_for_function("document.getElementById('qr').complete")
        url = _decode(page.locator("#qr").screenshot())
        assert url.startswith(f"{BASE}/v/{admission_code}?s=")
        page.goto(_on_this_server(url, live_server))
        assert page.locator("h1.standing").inner_text() == standing
    context.close()


def test_scan_the_printed_notice_then_go_fill(live_server, browser, tmp_path):
    desk = browser.new_context(viewport={"width": 1000, "height": 1400}, locale="zh-CN")
    notice = desk.new_page()
    code = _admission_code(notice, live_server, "R0007")
    notice.goto(f"{live_server}/admissions/{code}/notice")
    assert notice.get_by_role("heading", name="基层报表准入通知").is_visible()
    qr = notice.get_by_role("img", name="准入二维码")
    qr.wait_for()
    notice.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    shot = qr.screenshot(path=str(tmp_path / "notice-qr.png"))
    url = _decode(shot)
    assert re.fullmatch(rf"{re.escape(BASE)}/v/{code}\?s=[A-Za-z0-9_-]+", url)
    assert notice.locator("p.link").inner_text() == url
    desk.close()

    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone = phone_context.new_page()
    phone.goto(_on_this_server(url, live_server))
    assert phone.get_by_role("heading", name="有效").is_visible()
    assert phone.get_by_text("社会救助对象月报").is_visible()

    phone.get_by_role("link", name="去填报").click()
    phone.wait_for_url(re.compile(r"/login\?next=/fill/R0007$"))
    phone.get_by_label("用户名").fill("filler")
    phone.get_by_label("密码").fill(DEMO_PASSWORDS["filler"])
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(r"[?&]report=R0007$"))

    path = phone.url.removeprefix(live_server).split("?")[0]
    assert path == "/due" or path.startswith("/orgs/439901100201/forms/")
    highlighted = phone.locator(".highlight")
    assert highlighted.count() > 0
    highlighted.first.scroll_into_view_if_needed()
    assert highlighted.first.is_visible()
    texts = highlighted.all_inner_texts()
    assert all("R0007" in text or "社会救助对象月报" in text for text in texts)
    phone.screenshot(path=str(tmp_path / "landing.png"), full_page=True)
    phone_context.close()

    _bare_svgs_decode_and_say_their_standing(browser, live_server)
