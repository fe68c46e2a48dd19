from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from sqlalchemy import text

from app.auth.identity import current_user
from app.database import get_session
from app.permissions import ANY_ROLE, PUBLIC, allow

blueprint = Blueprint("main", __name__)


@blueprint.get("/")
@allow(PUBLIC)
def index():
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    return render_template("index.html", user=user)


@blueprint.get("/healthz")
@allow(PUBLIC)
def healthz():
    try:
        get_session().execute(text("SELECT 1"))
    except Exception:  # the point is to report any database failure, not to raise it
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "reachable"})


@blueprint.get("/me")
@allow(*ANY_ROLE)
def me():
    return render_template("me.html", user=current_user())
