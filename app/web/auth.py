from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from app.auth.identity import SESSION_KEY
from app.database import get_session
from app.permissions import ANY_ROLE, PUBLIC, allow
from app.web.forms import LoginForm, LogoutForm
from forms_registry.accounts.service import (
    InvalidCredentials,
    TooManyAttempts,
    authenticate,
    end_login_session,
    start_login_session,
)
from forms_registry.db import utcnow

blueprint = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so a login link cannot bounce users elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.index")


@blueprint.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        db = get_session()
        try:
            user = authenticate(
                db,
                form.username.data.strip(),
                form.password.data,
                remote_addr=request.remote_addr or "unknown",
                now=utcnow(),
            )
        except InvalidCredentials as error:
            db.commit()  # the failed attempt must count
            form.password.errors.append(error.message)
            status = 200
        except TooManyAttempts as error:
            form.password.errors.append(error.message)
            status = 429
        else:
            secret = start_login_session(db, user, now=utcnow())
            db.commit()
            session.clear()
            session[SESSION_KEY] = secret
            flash(f"欢迎，{user.display_name}")
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 422
    return render_template("login.html", form=form), status


@blueprint.post("/logout")
@allow(*ANY_ROLE)
def logout():
    LogoutForm()  # CSRF is checked by CSRFProtect before we get here
    secret = session.get(SESSION_KEY)
    if secret:
        db = get_session()
        end_login_session(db, secret)
        db.commit()
    session.clear()
    flash("您已安全退出")
    return redirect(url_for("auth.login"))
