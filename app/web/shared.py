"""Shared data sources for reviewers: what each provides, imports from files."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import func, select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from app import clock
from app.database import get_session
from app.errors import status_for
from app.jobs import start_in_background
from app.permissions import allow, signed_in_user
from app.web.choices import select_choices
from forms_registry.errors import DomainError, NotFound
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.hub import HubSettings
from prefill.models import RefreshJob, SharedSource, SharedValue
from prefill.refresh import get_job, start_job
from prefill.shared_import import import_shared_file

blueprint = Blueprint("shared", __name__, url_prefix="/shared")


class SharedUploadForm(FlaskForm):
    file = FileField(
        "数据文件（CSV 或 Excel：org_code、period 两列，其余每列一个指标代码或名称）",
        validators=[
            FileRequired("请选择文件"),
            FileAllowed(["csv", "xlsx"], "只能上传 .csv 或 .xlsx 文件"),
        ],
    )


def _source(code: str) -> SharedSource:
    source = get_session().scalar(select(SharedSource).where(SharedSource.code == code))
    if source is None:
        raise NotFound("未找到该共享数据源")
    return source


def _render(status: int = 200, forms: dict | None = None):
    db = get_session()
    sources = list(db.scalars(select(SharedSource).order_by(SharedSource.code)))
    stats = {
        source_id: (count, latest)
        for source_id, count, latest in db.execute(
            select(
                SharedValue.source_id, func.count(SharedValue.id), func.max(SharedValue.fetched_at)
            ).group_by(SharedValue.source_id)
        )
    }
    forms = forms or {}
    return (
        render_template(
            "shared/index.html",
            sources=sources,
            stats=stats,
            forms={
                s.code: forms.get(s.code) or SharedUploadForm(formdata=None, prefix=s.code)
                for s in sources
            },
            refresh_forms={
                s.code: RefreshForm(
                    formdata=None,
                    prefix=f"refresh-{s.code}",
                    period=Period.containing(clock.today(), "monthly").previous().id,
                )
                for s in sources
            },
            hub_url=current_app.config["SHARED_HUB_URL"],
            jobs=list(db.scalars(select(RefreshJob).order_by(RefreshJob.id.desc()).limit(10))),
        ),
        status,
    )


@blueprint.get("/")
@allow("reviewer")
def index():
    return _render()


@blueprint.post("/<code>/import")
@allow("reviewer")
def upload(code: str):
    source = _source(code)
    form = SharedUploadForm(prefix=code)
    if not form.validate_on_submit():
        return _render(422, {code: form})
    db = get_session()
    try:
        count = import_shared_file(
            db, source, form.file.data.read(), form.file.data.filename or "", now=clock.now()
        )
    except DomainError as error:
        db.rollback()
        form.file.errors = [
            error.message,
            *(f"{key}：{message}" for key, message in error.details.items()),
        ]
        return _render(422, {code: form})
    db.commit()
    flash(f"已从文件导入 {count} 个共享数据值到“{source.name}”")
    return redirect(url_for("shared.index"))


class RefreshForm(FlaskForm):
    period = StringField(
        "期别（如 2025-03、2025Q1、2025）", validators=[DataRequired("请填写期别")]
    )
    level = SelectField(
        "更新哪一级的数据",
        choices=select_choices([("village", "村（社区）"), ("township", "乡镇（街道）")]),
    )


@blueprint.post("/<code>/refresh")
@allow("reviewer")
def refresh(code: str):
    source = _source(code)
    form = RefreshForm(prefix=f"refresh-{code}")
    url = current_app.config["SHARED_HUB_URL"]
    if not url:
        flash("未配置共享数据平台地址（SHARED_HUB_URL），只能通过文件导入")
        return _render(409)
    if not form.validate_on_submit():
        flash("请填写期别")
        return _render(422)
    db = get_session()
    org_codes = list(
        db.scalars(
            select(OrgUnit.code).where(OrgUnit.level == form.level.data).order_by(OrgUnit.code)
        )
    )
    try:
        settings = HubSettings(url, timeout=current_app.config["SHARED_HUB_TIMEOUT"])
        period = Period.parse(form.period.data).id
        job = start_job(
            db,
            source,
            period=period,
            total=len(org_codes),
            now=clock.now(),
            created_by=signed_in_user(),
        )
    except DomainError as error:
        db.rollback()
        flash(error.message)
        return _render(status_for(error))
    db.commit()
    start_in_background(
        current_app._get_current_object(), job.id, source.id, settings, org_codes, period
    )
    return redirect(url_for("shared.job", job_id=job.id))


@blueprint.get("/jobs/<int:job_id>")
@allow("reviewer")
def job(job_id: int):
    return render_template("shared/job.html", job=get_job(get_session(), job_id))
