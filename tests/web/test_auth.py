from __future__ import annotations

import pytest

from tests.helpers import DEMO_PASSWORDS, csrf_token, login


def test_login_page_is_chinese(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "登录" in html and "用户名" in html and "密码" in html


@pytest.mark.parametrize("username", ["reviewer", "owner", "filler"])
def test_demo_logins_work(client, username):
    response = login(client, username)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "您好" in home.get_data(as_text=True)


def test_wrong_password_says_so_without_telling_which(client):
    response = login(client, "filler", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_unknown_user_gets_the_same_message(client):
    response = login(client, "nobody", "whatever-123")
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_five_wrong_passwords_are_rate_limited(client):
    for _ in range(5):
        assert login(client, "owner", "wrong-password").status_code == 200
    blocked = login(client, "owner")  # even the right password now waits
    assert blocked.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试" in blocked.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_successful_login_clears_earlier_failures(client):
    for _ in range(4):
        login(client, "owner", "wrong-password")
    assert login(client, "owner").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    for _ in range(4):
        login(client, "owner", "wrong-password")
    assert login(client, "owner").status_code == 302


def test_form_post_without_csrf_token_is_400(client):
    response = client.post(
        "/login", data={"username": "filler", "password": DEMO_PASSWORDS["filler"]}
    )
    assert response.status_code == 400
    assert "安全令牌（CSRF）" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_logout_without_csrf_token_is_400_and_keeps_the_session(client):
    login(client, "filler")
    assert client.post("/logout").status_code == 400
    assert client.get("/me").status_code == 200


def test_logout_ends_the_session_on_the_server(client, app):
    login(client, "filler")
    old_cookie = client.get_cookie("reportonce_session").value
    assert client.get("/me").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    assert response.status_code == 302
    replay = app.test_client()
    replay.set_cookie("reportonce_session", old_cookie)
    response = replay.get("/me")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_login_redirects_only_to_local_paths(client):
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/x",
        data={"csrf_token": token, "username": "filler", "password": DEMO_PASSWORDS["filler"]},
    )
    assert response.headers["Location"] == "/"


def test_login_follows_next_to_the_page_asked_for(client):
    response = client.get("/orgs/439901100201")
    assert response.status_code == 302
    target = response.headers["Location"]
    assert target == "/login?next=/orgs/439901100201"
    token = csrf_token(client)
    response = client.post(
        target,
        data={"csrf_token": token, "username": "filler", "password": DEMO_PASSWORDS["filler"]},
    )
    assert response.headers["Location"] == "/orgs/439901100201"


def test_passwords_are_stored_hashed(db_session):
    from sqlalchemy import select

    from forms_registry.accounts.models import User

    stored = db_session.scalar(select(User.password_hash).where(User.username == "filler"))
    assert DEMO_PASSWORDS["filler"] not in stored
    assert stored.startswith("scrypt:")
