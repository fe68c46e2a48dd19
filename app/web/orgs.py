from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from app.database import get_session
from app.permissions import ANY_ROLE, allow, readable_org, signed_in_user
from app.web.forms import OrgImportForm
from forms_registry.errors import InvalidInput
from forms_registry.orgs.service import ancestors, count_by_level, import_org_csv, roots

blueprint = Blueprint("orgs", __name__, url_prefix="/orgs")


@blueprint.get("/")
@allow(*ANY_ROLE)
def tree():
    user = signed_in_user()
    if user.role == "filler" and user.org_unit is not None:
        return redirect(url_for("orgs.detail", code=user.org_unit.code))
    db = get_session()
    return render_template("orgs/tree.html", roots=roots(db), counts=count_by_level(db))


@blueprint.get("/<code>")
@allow(*ANY_ROLE)
def detail(code: str):
    org = readable_org(code)
    return render_template("orgs/detail.html", org=org, ancestors=ancestors(org))


@blueprint.route("/import", methods=["GET", "POST"])
@allow("reviewer")
def import_csv():
    form = OrgImportForm()
    status = 200
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
            form.file.errors.append("文件编码须为 UTF-8（Excel 请另存为“CSV UTF-8”）")
            status = 422
        if text is not None:
            db = get_session()
            try:
                count = import_org_csv(db, text)
            except InvalidInput as error:
                db.rollback()
                form.file.errors.append(error.message)
                form.file.errors.extend(f"{key}：{msg}" for key, msg in error.details.items())
                status = 422
            else:
                db.commit()
                flash(f"已导入 {count} 个行政区划")
                return redirect(url_for("orgs.tree"))
    elif form.is_submitted():
        status = 422
    return render_template("orgs/import.html", form=form), status
