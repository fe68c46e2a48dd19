"""The merged form as an Excel workbook: download it prefilled, upload it back filled.

An upload is saved like the web form (same validation, same per-field conflicts against
the version the workbook was made from). Its submission id comes from the file's bytes,
so uploading the identical file again replays the first answer and changes nothing."""

from __future__ import annotations

import hashlib
import io
import uuid

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired

from app.collection import LoadedForm, load_form, save_form
from app.database import get_session
from app.errors import status_for
from app.permissions import allow, fillable_org, signed_in_user
from forms_registry.errors import DomainError, InvalidInput
from forms_registry.orgs.models import OrgUnit
from prefill.models import Submission
from prefill.store import SaveRequest, VersionConflict
from prefill.workbook import UploadedForm, build_form_workbook, read_form_workbook

blueprint = Blueprint("excel", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MSG_OTHER_FORM = "这不是本单位本月的报表"
MSG_BAD_CELLS = "文件中有填写错误的单元格，未保存任何数据，请改正后重新上传"


class WorkbookUploadForm(FlaskForm):
    file = FileField(
        "填好的 Excel 填报表（.xlsx）",
        validators=[FileRequired("请选择文件"), FileAllowed(["xlsx"], "只能上传 .xlsx 文件")],
    )


def submission_id_for(data: bytes) -> str:
    """The same file always gets the same submission id (an idempotent replay)."""
    return str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16]))


@blueprint.get("/orgs/<org_code>/forms/<month>/workbook")
@allow("filler")
def download(org_code: str, month: str):
    org = fillable_org(org_code)
    loaded = load_form(org, month)
    data = build_form_workbook(
        org.code, org.name, loaded.plan.month.id, loaded.version, loaded.prefilled
    )
    return send_file(
        io.BytesIO(data),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"{org.name}-{loaded.plan.month.id}-合并报表.xlsx",
        max_age=0,
    )


@blueprint.post("/orgs/<org_code>/forms/<month>/workbook")
@allow("filler")
def upload(org_code: str, month: str):
    org = fillable_org(org_code)
    loaded = load_form(org, month)
    form = WorkbookUploadForm()
    if not form.validate_on_submit():
        return _problem(loaded, "上传失败", errors=_form_errors(form))
    data = form.file.data.read()
    try:
        uploaded = read_form_workbook(data)
    except InvalidInput as error:
        return _problem(loaded, error.message, errors=error.details)
    if (uploaded.org_code, uploaded.month) != (org.code, loaded.plan.month.id):
        return _problem(loaded, MSG_OTHER_FORM, errors=_made_for(uploaded))
    if uploaded.errors:
        return _problem(loaded, MSG_BAD_CELLS, errors=uploaded.errors)
    save_request = SaveRequest(
        submission_id=submission_id_for(data),
        version=uploaded.version,
        values=uploaded.edits,
    )
    replay = get_session().get(Submission, save_request.submission_id) is not None
    try:
        result = save_form(org, month, save_request, signed_in_user())
    except DomainError as error:
        get_session().rollback()
        return _failed(org, month, uploaded, error)
    if replay:
        flash("该文件已上传过，数据未变")
    elif result["changed"]:
        flash(f"已从 Excel 导入，保存了 {result['changed']} 项改动（草稿），核对无误后请提交")
    else:
        flash("Excel 文件中没有改动，数据未变")
    return redirect(url_for("fill.form", org_code=org.code, month=loaded.plan.month.id))


def _form_errors(form: WorkbookUploadForm) -> dict[str, str]:
    return {"文件": "；".join(form.file.errors)} if form.file.errors else {}


def _made_for(uploaded: UploadedForm) -> dict[str, str]:
    return {"文件": f"该文件是 {uploaded.org_code} 的 {uploaded.month} 报表"}


def _failed(org: OrgUnit, month: str, uploaded: UploadedForm, error: DomainError):
    loaded = load_form(org, month)  # as it is now, after the rollback
    if isinstance(error, VersionConflict):
        conflicts = [
            conflict | _where(uploaded, conflict["element"]) for conflict in error.conflicts
        ]
        return _problem(loaded, error.message, conflicts=conflicts, status=409)
    if isinstance(error, InvalidInput) and error.details:
        return _problem(loaded, MSG_BAD_CELLS, errors=uploaded.cell_errors(error.details))
    return _problem(loaded, error.message, status=status_for(error))


def _where(uploaded: UploadedForm, key: str) -> dict[str, str]:
    row = uploaded.rows.get(key)
    return {"cell": row.cell, "label": row.label} if row else {"cell": "", "label": key}


def _problem(
    loaded: LoadedForm,
    message: str,
    *,
    errors: dict[str, str] | None = None,
    conflicts: list[dict] | None = None,
    status: int = 422,
):
    """Nothing was stored: say why, cell by cell, and offer the upload again."""
    return render_template(
        "fill/workbook_upload.html",
        loaded=loaded,
        form=WorkbookUploadForm(formdata=None),  # the reasons are listed above it
        message=message,
        errors=errors or {},
        conflicts=conflicts or [],
        status=status,
    ), status
