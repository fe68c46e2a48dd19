from __future__ import annotations

import pytest
from flask import Blueprint

from app.permissions import PUBLIC, allow
from tests.conftest import make_test_app
from tests.helpers import login


def test_security_headers_on_pages(client):
    response = client.get("/login")
    headers = response.headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"


def test_session_cookie_is_http_only_and_same_site(client):
    login(client, "filler")
    cookie = client.get_cookie("reportonce_session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_production_cookies_are_secure_and_hsts_is_sent(engine, monkeypatch):
    from app.config import ProductionConfig

    for name, value in {
        "SECRET_KEY": "x" * 40,
        "QR_SIGNING_KEYS": "k1",
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "EXTERNAL_BASE_URL": "https://reportonce.example.test",
    }.items():
        monkeypatch.setenv(name, value)
    from app import create_app

    app = create_app(ProductionConfig())
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_refuses_to_start_without_secrets(monkeypatch):
    from app.config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        ProductionConfig()


def test_untrusted_host_is_rejected(engine):
    app = make_test_app(
        engine.url.render_as_string(hide_password=False), TRUSTED_HOSTS=["reportonce.example.test"]
    )
    assert app.test_client().get("/login", headers={"Host": "evil.example"}).status_code == 400
    good = app.test_client().get("/login", headers={"Host": "reportonce.example.test"})
    assert good.status_code == 200


def test_unexpected_error_shows_a_generic_chinese_page(engine):
    app = make_test_app(engine.url.render_as_string(hide_password=False))
    boom = Blueprint("boom", __name__)

    @boom.get("/boom")
    @allow(PUBLIC)
    def explode():
        raise RuntimeError("secret internal detail")

    app.register_blueprint(boom)
    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "系统出现错误，请稍后再试" in html
    assert "secret internal detail" not in html and "Traceback" not in html


def test_route_without_declared_permission_is_refused(engine):
    app = make_test_app(engine.url.render_as_string(hide_password=False))
    open_by_mistake = Blueprint("mistake", __name__)

    @open_by_mistake.get("/undeclared")
    def undeclared():
        return "should never be served"

    app.register_blueprint(open_by_mistake)
    response = app.test_client().get("/undeclared")
    assert response.status_code == 403
    assert "should never be served" not in response.get_data(as_text=True)


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "未找到该页面或数据" in response.get_data(as_text=True)


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["message"] == "未找到该页面或数据"


def test_oversize_upload_is_413_with_a_clear_message(client):
    login(client, "reviewer")
    response = client.post(
        "/orgs/import", data=b"x" * (10 * 1024 * 1024 + 1), content_type="text/csv"
    )
    assert response.status_code == 413
    assert "上传的文件过大（上限 10 MB）" in response.get_data(as_text=True)
