"""Small helpers for web tests: CSRF tokens and logging in through the real login form."""

from __future__ import annotations

import re

from app.demo import demo_logins

CSRF_PATTERN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
DEMO_PASSWORDS = {login.username: login.password for login in demo_logins()}


def csrf_token(client, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = CSRF_PATTERN.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def login(client, username: str, password: str | None = None):
    token = csrf_token(client)
    return client.post(
        "/login",
        data={
            "csrf_token": token,
            "username": username,
            "password": password or DEMO_PASSWORDS[username],
        },
    )
