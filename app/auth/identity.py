"""Who is asking: a bearer token (API clients) or a server-side login session (browsers)."""

from __future__ import annotations

from flask import g, request, session

from app.database import get_session
from forms_registry.accounts.models import User
from forms_registry.accounts.service import user_for_api_token, user_for_login_session
from forms_registry.db import utcnow

SESSION_KEY = "sid"


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def current_user() -> User | None:
    if "current_user" not in g:
        g.current_user = _load_user()
    return g.current_user


def authenticated_by_token() -> bool:
    return bearer_secret() is not None


def _load_user() -> User | None:
    db = get_session()
    secret = bearer_secret()
    if secret is not None:
        return user_for_api_token(db, secret)
    sid = session.get(SESSION_KEY)
    if not sid:
        return None
    return user_for_login_session(db, sid, now=utcnow())
