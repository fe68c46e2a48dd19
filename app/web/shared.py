"""Shared data sources for reviewers: what each provides, imports from files."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import func, select

from app import clock
from app.database import get_session
from app.permissions import allow
from forms_registry.errors import DomainError, NotFound
from prefill.models import SharedSource, SharedValue
from prefill.shared_import import import_shared_file

blueprint = Blueprint("shared", __name__, url_prefix="/shared")


class SharedUploadForm(FlaskForm):
    file = FileField(
        "数据文件（CSV 或 Excel：org_code、period 两列，其余每列一个指标代码或名称）",
        validators=[FileRequired("请选择文件"), FileAllowed(["csv", "xlsx"], "只能上传 .csv 或 .xlsx 文件")],
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
            select(SharedValue.source_id, func.count(SharedValue.id), func.max(SharedValue.fetched_at)).group_by(
                SharedValue.source_id
            )
        )
    }
    forms = forms or {}
    return (
        render_template(
            "shared/index.html",
            sources=sources,
            stats=stats,
            forms={s.code: forms.get(s.code) or SharedUploadForm(formdata=None, prefix=s.code) for s in sources},
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
        count = import_shared_file(db, source, form.file.data.read(), form.file.data.filename or "", now=clock.now())
    except DomainError as error:
        db.rollback()
        form.file.errors = [error.message, *(f"{key}：{message}" for key, message in error.details.items())]
        return _render(422, {code: form})
    db.commit()
    flash(f"已从文件导入 {count} 个共享数据值到“{source.name}”")
    return redirect(url_for("shared.index"))
