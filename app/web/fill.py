"""Fillers' pages: what is due (本期待报) and the one merged form for a month."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from admission.collection import due_months
from app import clock
from app.collection import LoadedForm, load_form, plan_memo, save_form
from app.database import get_session
from app.errors import status_for
from app.permissions import allow, fillable_org, signed_in_user
from app.web.fill_forms import field_name, merged_form_class
from forms_registry.errors import DomainError, InvalidInput
from forms_registry.orgs.models import OrgUnit
from prefill.store import SaveRequest, VersionConflict

blueprint = Blueprint("fill", __name__)


def _units() -> list[OrgUnit]:
    """The filler's own unit and, for a township filler, its villages (代填)."""
    org = signed_in_user().org_unit
    children = get_session().scalars(
        select(OrgUnit).where(OrgUnit.parent_id == org.id).order_by(OrgUnit.code)
    )
    return [org, *children]


@blueprint.get("/due")
@allow("filler")
def due():
    today = clock.today()
    rows = [
        (unit, item)
        for unit in _units()
        for item in due_months(get_session(), unit, today, plan_memo())
    ]
    return render_template("fill/due.html", rows=rows, today=today)


@blueprint.get("/fill/<report_code>")
@allow("filler")
def start(report_code: str):
    """Where a scanned QR code's 去填报 leads after login: the due form holding that report."""
    today = clock.today()
    for unit in _units():
        for item in due_months(get_session(), unit, today, plan_memo()):
            if report_code in item.reports:
                return redirect(
                    url_for(
                        "fill.form", org_code=unit.code, month=item.month.id, report=report_code
                    )
                )
    flash(f"报表 {report_code} 目前没有需要您填报的期次")
    return redirect(url_for("fill.due"))


def _render(loaded: LoadedForm, form, *, status: int = 200, conflicts=None):
    filled = sum(
        1 for item, field in form.answer_fields() if item.locked or field.data not in (None, "", [])
    )
    sections: dict[str, list] = {}
    for item, field in form.answer_fields():
        sections.setdefault(item.field.section or "基本情况", []).append((item, field))
    titles = {a.report.code: a.report for a in loaded.plan.admissions}
    return (
        render_template(
            "fill/form.html",
            loaded=loaded,
            form=form,
            sections=sections,
            filled=filled,
            total=len(loaded.prefilled),
            reports=titles,
            highlight=request.args.get("report"),
            conflicts=conflicts or [],
            field_name=field_name,
        ),
        status,
    )


@blueprint.route("/orgs/<org_code>/forms/<month>", methods=["GET", "POST"])
@allow("filler")
def form(org_code: str, month: str):
    org = fillable_org(org_code)
    loaded = load_form(org, month)
    form_class = merged_form_class(loaded.prefilled)
    if request.method == "GET":
        form = form_class(formdata=None, version=loaded.version, submission_id=str(uuid.uuid4()))
        return _render(loaded, form)
    form = form_class()
    if not form.validate_on_submit():
        return _render(loaded, form, status=422)
    submit = "submit" in request.form
    save_request = SaveRequest(
        submission_id=form.submission_id.data or str(uuid.uuid4()),
        version=int(form.version.data or 0),
        values=form.values(),
        submit=submit,
    )
    try:
        result = save_form(org, month, save_request, signed_in_user())
    except DomainError as error:
        get_session().rollback()
        return _failed(org, month, form_class, error)
    reduction = result["reduction"]
    if submit:
        flash(
            f"已提交。本月 {reduction['report_fields']} 个报表字段合并为 {reduction['merged_fields']} 项，"
            f"其中 {reduction['prefilled_fields']} 项已自动填好，您只填了 {reduction['typed_fields']} 项。"
        )
    else:
        flash("草稿已保存")
    return redirect(url_for("fill.form", org_code=org.code, month=month))


def _failed(org: OrgUnit, month: str, form_class, error: DomainError):
    """Show what went wrong with the filler's own values kept in the inputs."""
    loaded = load_form(org, month)
    form = form_class()
    form.submission_id.data = str(uuid.uuid4())
    conflicts = error.conflicts if isinstance(error, VersionConflict) else []
    if conflicts:
        form.version.data = str(loaded.version)  # resubmitting now deliberately overwrites
    if isinstance(error, InvalidInput):
        for key, message in error.details.items():
            name = field_name(key)
            if name in form:
                form[name].errors = [*form[name].errors, message]
    flash(error.message)
    return _render(loaded, form, status=status_for(error), conflicts=conflicts)
