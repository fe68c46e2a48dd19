"""Applying for admission (owners) and deciding on it (reviewers)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from admission.models import STATUS_NAMES, Admission
from admission.queries import get_admission
from admission.service import (
    ApplicationInput,
    apply_for_admission,
    approve,
    reject,
    return_for_revision,
    revoke,
)
from app import clock
from app.admission_settings import burden_settings, code_style, signed_link
from app.database import get_session
from app.errors import status_for
from app.permissions import allow, signed_in_user
from app.web.admission_forms import ApplicationForm, DecisionForm, RevokeForm
from app.web.choices import select_choices
from forms_registry.errors import DomainError, NotFound
from forms_registry.orgs.models import OrgUnit
from forms_registry.reports.models import Report, ReportVersion
from forms_registry.reports.service import editable_report

blueprint = Blueprint("admissions", __name__)


def _scope_choices(report: Report) -> list:
    """Counties and townships a report may cover (its own level or above, below a county)."""
    levels = ("county", "township") if report.level == "village" else ("county",)
    orgs = get_session().scalars(
        select(OrgUnit).where(OrgUnit.level.in_(levels)).order_by(OrgUnit.code)
    )
    return select_choices((org.code, f"{org.name}（{org.level_name}）") for org in orgs)


@blueprint.route("/reports/<code>/apply", methods=["GET", "POST"])
@allow("owner")
def apply(code: str):
    db = get_session()
    user = signed_in_user()
    report = editable_report(db, user, code)
    form = ApplicationForm()
    form.scope_org_code.choices = _scope_choices(report)
    status = 200
    if request.method == "GET":
        form.valid_from.data = clock.today()
        form.valid_to.data = clock.today() + timedelta(days=365 * 3)
    elif form.validate_on_submit():
        data = ApplicationInput(
            justification=form.justification.data,
            legal_basis=form.legal_basis.data,
            scope_org_code=form.scope_org_code.data,
            due_day=form.due_day.data,
            valid_from=form.valid_from.data,
            valid_to=form.valid_to.data,
            data_users=form.data_users.data or "",
        )
        try:
            admission = apply_for_admission(
                db,
                report,
                user,
                data,
                today=clock.today(),
                now=clock.now(),
                burden=burden_settings(),
            )
        except DomainError as error:
            db.rollback()
            report = editable_report(db, user, code)
            form.form_errors.append(error.message)
            for key, message in error.details.items():
                if key in form:
                    form[key].errors.append(message)
                else:
                    form.form_errors.append(f"{key}：{message}")
            status = status_for(error)
        else:
            db.commit()
            flash("准入申请已提交，报表版本已冻结，等待数据局审核")
            return redirect(url_for("admissions.detail", admission_id=admission.id))
    else:
        status = 422
    return render_template("admissions/apply.html", form=form, report=report), status


def _visible(admission: Admission) -> Admission:
    user = signed_in_user()
    if user.role == "reviewer" or admission.report.department_id == user.department_id:
        return admission
    raise NotFound("未找到该准入申请")


@blueprint.get("/admissions/")
@allow("reviewer", "owner")
def index():
    user = signed_in_user()
    wanted = request.args.get("status", "")
    statement = select(Admission).order_by(Admission.submitted_at.desc())
    if user.role == "owner":
        statement = statement.where(
            Admission.version.has(
                ReportVersion.report.has(Report.department_id == user.department_id)
            )
        )
    if wanted in STATUS_NAMES:
        statement = statement.where(Admission.status == wanted)
    admissions = list(get_session().scalars(statement))
    return render_template(
        "admissions/index.html",
        admissions=admissions,
        statuses=STATUS_NAMES,
        wanted=wanted,
        today=clock.today(),
    )


@blueprint.get("/admissions/<int:admission_id>")
@allow("reviewer", "owner")
def detail(admission_id: int):
    return _render_detail(_visible(get_admission(get_session(), admission_id)))


def _render_detail(admission: Admission, *, status: int = 200, error: DomainError | None = None):
    page = render_template(
        "admissions/detail.html",
        admission=admission,
        decision=DecisionForm(formdata=None),
        revoke_form=RevokeForm(formdata=None),
        today=clock.today(),
        link=signed_link(admission.code) if admission.code else None,
        error=error,
    )
    return page, status


def _decide(admission_id: int, step, message: str, text_field: str = "comment"):
    db = get_session()
    admission = get_admission(db, admission_id)
    form = RevokeForm() if text_field == "reason" else DecisionForm()
    text = getattr(form, text_field).data or ""
    try:
        step(db, admission, text)
    except DomainError as error:
        db.rollback()
        return _render_detail(
            get_admission(db, admission_id), status=status_for(error), error=error
        )
    db.commit()
    flash(message)
    return redirect(url_for("admissions.detail", admission_id=admission_id))


@blueprint.post("/admissions/<int:admission_id>/approve")
@allow("reviewer")
def approve_view(admission_id: int):
    return _decide(
        admission_id,
        lambda db, a, text: approve(
            db,
            a,
            reviewer=signed_in_user(),
            now=clock.now(),
            comment=text,
            style=code_style(),
            year=clock.today().year,
        ),
        "已批准准入，准入编号已生成",
    )


@blueprint.post("/admissions/<int:admission_id>/reject")
@allow("reviewer")
def reject_view(admission_id: int):
    return _decide(
        admission_id,
        lambda db, a, text: reject(db, a, reviewer=signed_in_user(), now=clock.now(), comment=text),
        "已驳回该申请",
    )


@blueprint.post("/admissions/<int:admission_id>/return")
@allow("reviewer")
def return_view(admission_id: int):
    return _decide(
        admission_id,
        lambda db, a, text: return_for_revision(
            db, a, reviewer=signed_in_user(), now=clock.now(), comment=text
        ),
        "已退回修改",
    )


@blueprint.post("/admissions/<int:admission_id>/revoke")
@allow("reviewer")
def revoke_view(admission_id: int):
    return _decide(
        admission_id,
        lambda db, a, text: revoke(db, a, reviewer=signed_in_user(), now=clock.now(), reason=text),
        "已撤销该准入",
        text_field="reason",
    )
