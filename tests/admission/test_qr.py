"""QR codes read with a real decoder (zxing-cpp), followed like a phone would: the signed
link says 有效, 已撤销, 已过期 or 无效; old keys still verify; the host is always the
configured EXTERNAL_BASE_URL; the link carries no login."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from sqlalchemy import select

from admission.models import Admission
from admission.qr import qr_svg, signature, verification_url, verify
from forms_registry.reports.models import Report, ReportVersion
from tests.helpers import csrf_token, login

BASE = "https://reportonce.example.test"
STANDING = re.compile(r'<h1 class="standing">([^<]*)</h1>')
SVG_RECT = re.compile(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H[\d.]+z")
SVG_BOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


def _admission(db_session, report_code: str) -> Admission:
    return db_session.scalars(
        select(Admission)
        .where(Admission.version.has(ReportVersion.report.has(Report.code == report_code)))
        .order_by(Admission.id.desc())
    ).first()


def _code(db_session, report_code: str) -> str:
    return _admission(db_session, report_code).code


def _decode(image: Image.Image) -> str:
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1, "expected exactly one QR code in the image"
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def _decode_png(data: bytes) -> str:
    return _decode(Image.open(io.BytesIO(data)))


def _rasterise_svg(svg: bytes, pixels_per_unit: int = 10) -> Image.Image:
    """qrcode's SvgPathImage draws each dark module as one `M x,y H x2 V y2 H x z` square;
    paint those squares on white, as any SVG renderer would."""
    text = svg.decode()
    width, height = (float(v) for v in SVG_BOX.search(text).groups())
    image = Image.new("L", (round(width * pixels_per_unit), round(height * pixels_per_unit)), 255)
    draw = ImageDraw.Draw(image)
    rects = SVG_RECT.findall(text)
    assert rects, "no modules in the SVG path"
    for x1, y1, x2, y2 in rects:
        box = [round(float(v) * pixels_per_unit) for v in (x1, y1, x2, y2)]
        draw.rectangle([box[0], box[1], box[2] - 1, box[3] - 1], fill=0)
    return image


def _scan(client, code: str, **headers) -> str:
    response = client.get(f"/admissions/{code}/qr.png", headers=headers)
    assert response.status_code == 200 and response.mimetype == "image/png"
    return _decode_png(response.data)


def _open(client, url: str):
    """Follow a decoded link on this app: drop the configured base, GET the rest."""
    assert url.startswith(f"{BASE}/")
    return client.get(url.removeprefix(BASE))


def _standing(response) -> str:
    assert response.status_code == 200
    match = STANDING.search(response.get_data(as_text=True))
    assert match, "no standing on the verification page"
    return match.group(1)


def _with_signature(url: str, value: str) -> str:
    return re.sub(r"\?s=[^&]*", f"?s={value}", url)


def test_a_scanned_valid_code_opens_the_verification_page_saying_valid(client, db_session):
    admission = _admission(db_session, "R0007")
    url = _scan(client, admission.code)

    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "reportonce.example.test",
        f"/v/{admission.code}",
    )
    assert set(parse_qs(parts.query)) == {"s"}  # the signature and nothing else
    response = _open(client, url)
    html = response.get_data(as_text=True)
    assert _standing(response) == "有效"
    assert "社会救助对象月报" in html and "县民政局" in html
    assert admission.display_code in html
    assert f"{admission.valid_from} 至 {admission.valid_to}" in html
    assert 'href="/fill/R0007"' in html and "去填报" in html


@pytest.mark.parametrize(
    ("report_code", "standing", "said"),
    [
        ("R0007", "有效", "去填报"),
        ("R0004", "已撤销", "该报表与《农村基本情况季报》重复，已并入后者"),
        ("R0003", "已过期", "该报表目前<strong>不得</strong>要求基层填报"),
    ],
)
def test_each_standing_reads_plainly(client, db_session, report_code, standing, said):
    response = _open(client, _scan(client, _code(db_session, report_code)))
    html = response.get_data(as_text=True)
    assert _standing(response) == standing
    assert said in html
    if standing != "有效":
        assert "去填报" not in html


def test_an_altered_signature_says_invalid(client, db_session):
    code = _code(db_session, "R0007")
    url = _scan(client, code)
    good = parse_qs(urlsplit(url).query)["s"][0]
    forged = ("A" if good[0] != "A" else "B") + good[1:]

    for tampered in (
        _with_signature(url, forged),
        _with_signature(url, good[:-1]),
        url.split("?")[0],  # no signature at all
        _with_signature(url, ""),
    ):
        response = _open(client, tampered)
        html = response.get_data(as_text=True)
        assert _standing(response) == "无效"
        assert "二维码可能被伪造或篡改" in html and "去填报" not in html
        assert "社会救助对象月报" not in html


def test_a_signature_moved_to_another_code_says_invalid(client, db_session):
    url = _scan(client, _code(db_session, "R0007"))
    other = _code(db_session, "R0008")
    moved = url.replace(f"/v/{_code(db_session, 'R0007')}", f"/v/{other}")
    assert _standing(_open(client, moved)) == "无效"


def test_a_well_signed_code_nobody_issued_says_invalid(app, client):
    keys = app.config["QR_SIGNING_KEYS"]
    assert _standing(_open(client, verification_url(BASE, "HN-2099-0001", keys))) == "无效"


def test_codes_signed_with_the_old_key_still_verify_after_rotation(app, client, db_session):
    code = _code(db_session, "R0007")
    new_key, old_key = app.config["QR_SIGNING_KEYS"]
    url = _scan(client, code)
    assert parse_qs(urlsplit(url).query)["s"] == [signature(code, new_key)]

    printed_before_rotation = verification_url(BASE, code, [old_key])
    assert printed_before_rotation != url
    assert _standing(_open(client, printed_before_rotation)) == "有效"

    unknown = _with_signature(url, signature(code, "a-key-nobody-configured"))
    assert _standing(_open(client, unknown)) == "无效"


def test_verify_accepts_only_the_configured_keys():
    keys = ["new", "old"]
    assert verify("HN-2025-0001", signature("HN-2025-0001", "new"), keys)
    assert verify("HN-2025-0001", signature("HN-2025-0001", "old"), keys)
    assert not verify("HN-2025-0001", signature("HN-2025-0001", "retired"), keys)
    assert not verify("HN-2025-0002", signature("HN-2025-0001", "new"), keys)
    assert not verify("HN-2025-0001", None, keys) and not verify("HN-2025-0001", "", keys)


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example"},
        {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
    ],
)
def test_the_encoded_host_is_the_configured_base_never_the_request_host(
    client, db_session, headers
):
    code = _code(db_session, "R0007")
    url = _scan(client, code, **headers)
    assert url.startswith(f"{BASE}/v/{code}?s=") and "evil" not in url

    svg = client.get(f"/admissions/{code}/qr.svg", headers=headers)
    assert _decode(_rasterise_svg(svg.data)) == url
    notice = client.get(f"/admissions/{code}/notice", headers=headers).get_data(as_text=True)
    assert f'<p class="link">{url}</p>' in notice and "evil.example" not in notice


def test_the_link_carries_no_login_and_works_without_one(app, client, db_session):
    """Scanned by someone who never logged in, and the link is the same for everyone."""
    code = _code(db_session, "R0007")
    anonymous = _scan(client, code)

    login(client, "reviewer")
    assert _scan(client, code) == anonymous
    assert "session" not in anonymous and "token" not in anonymous
    assert app.config["SECRET_KEY"] not in anonymous
    fresh = app.test_client()  # a phone that never logged in
    response = _open(fresh, anonymous)
    assert _standing(response) == "有效"
    assert "reportonce_session" not in response.headers.get("Set-Cookie", "")


def test_the_svg_holds_the_same_code_and_decodes_to_the_same_link(app, client, db_session):
    code = _code(db_session, "R0008")
    png_url = _scan(client, code)
    response = client.get(f"/admissions/{code}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"

    regenerated = qr_svg(verification_url(BASE, code, app.config["QR_SIGNING_KEYS"]))
    assert response.data == regenerated
    assert _decode(_rasterise_svg(response.data)) == png_url
    assert _standing(_open(client, png_url)) == "有效"


@pytest.mark.parametrize("suffix", ["qr.png", "qr.svg", "notice"])
def test_there_is_no_qr_code_for_a_code_never_issued(client, suffix):
    response = client.get(f"/admissions/HN-2099-0001/{suffix}")
    assert response.status_code == 404
    assert "未找到该准入编号" in response.get_data(as_text=True)


def _highlighted(html: str) -> list[str]:
    """The markup of each element the landing page highlights (up to its next sibling)."""
    parts = re.split(r'<[a-z]+ class="[^"]*\bhighlight\b[^"]*"', html)
    return [re.split(r'</li>|<div class="field', part)[0] for part in parts[1:]]


def test_go_fill_asks_an_anonymous_scanner_to_log_in_then_highlights_the_report(client):
    """去填报 → login → the filler's page for what is due, with that report highlighted
    (the due list, or the merged form holding it)."""
    response = client.get("/fill/R0007")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/fill/R0007"

    token = csrf_token(client, "/login?next=/fill/R0007")
    landing = client.post(
        "/login?next=/fill/R0007",
        data={"csrf_token": token, "username": "filler", "password": "filler-demo"},
        follow_redirects=True,
    )

    assert landing.status_code == 200
    assert [r.headers["Location"] for r in landing.history][0] == "/fill/R0007"
    assert landing.request.path == "/due" or landing.request.path.startswith(
        "/orgs/439901100201/forms/"
    )
    assert landing.request.args["report"] == "R0007"
    highlighted = _highlighted(landing.get_data(as_text=True))
    assert highlighted, "nothing highlighted on the landing page"
    assert all("R0007" in part or "社会救助对象月报" in part for part in highlighted)
