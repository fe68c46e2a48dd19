"""Report owners' pages: upload a template, edit it on the web, confirm field mappings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.database import get_session
from app.errors import status_for
from app.permissions import allow, signed_in_user
from app.web.report_forms import (
    BlankReportForm,
    FieldForm,
    MappingForm,
    PlainForm,
    ProposalForm,
    TemplateUploadForm,
)
from forms_registry.db import utcnow
from forms_registry.elements.service import ElementInput
from forms_registry.errors import DomainError
from forms_registry.reports.importing import ImportOptions, import_template
from forms_registry.reports.models import ROLE_NAMES
from forms_registry.reports.service import (
    FieldChange,
    Mapping,
    add_field,
    apply_mappings,
    create_blank_report,
    editable_report,
    new_version,
    proposal_defaults,
    propose_element_for_field,
    readable_report,
    remove_field,
    unmapped_fields,
    visible_reports,
)

blueprint = Blueprint("reports", __name__, url_prefix="/reports")


@blueprint.get("/")
@allow("reviewer", "owner")
def index():
    return render_template(
        "reports/index.html", reports=visible_reports(get_session(), signed_in_user())
    )


@blueprint.route("/import", methods=["GET", "POST"])
@allow("owner")
def upload():
    form = TemplateUploadForm()
    status = 200
    if form.validate_on_submit():
        db = get_session()
        user = signed_in_user()
        options = ImportOptions(
            owner=user.department.name,
            frequency=form.frequency.data or None,
            level=form.level.data or None,
        )
        try:
            result = import_template(
                db, form.file.data.read(), form.file.data.filename or "", options
            )
        except DomainError as error:
            db.rollback()
            form.file.errors.append(error.message)
            form.file.errors.extend(f"{key}：{message}" for key, message in error.details.items())
            status = 422
        else:
            db.commit()
            flash(
                f"已导入“{result.report.title}”（{result.report.code}），请逐项确认字段对应的指标"
            )
            return redirect(url_for("reports.detail", code=result.report.code))
    elif form.is_submitted():
        status = 422
    return render_template(
        "reports/upload.html", form=form, blank=BlankReportForm(formdata=None)
    ), status


@blueprint.post("/new")
@allow("owner")
def create_blank():
    form = BlankReportForm()
    if not form.validate_on_submit():
        return render_template(
            "reports/upload.html", form=TemplateUploadForm(formdata=None), blank=form
        ), 422
    db = get_session()
    report = create_blank_report(
        db,
        title=form.title.data,
        department=signed_in_user().department,
        frequency=form.frequency.data,
        level=form.level.data,
    )
    db.commit()
    flash(f"已新建“{report.title}”（{report.code}），请添加字段")
    return redirect(url_for("reports.detail", code=report.code))


@blueprint.get("/<code>")
@allow("reviewer", "owner")
def detail(code: str):
    report = readable_report(get_session(), signed_in_user(), code)
    return _render_detail(report)


def _render_detail(report, *, status: int = 200, mapping_errors=None, field_form=None):
    version = report.latest
    return (
        render_template(
            "reports/detail.html",
            report=report,
            version=version,
            can_edit=signed_in_user().role == "owner" and not version.is_frozen,
            unmapped=unmapped_fields(version),
            roles=ROLE_NAMES,
            mapping_form=MappingForm(formdata=None, edit=version.edit_count),
            field_form=field_form or FieldForm(formdata=None, edit=version.edit_count),
            plain_form=PlainForm(formdata=None, edit=version.edit_count),
            proposal_forms={
                field.id: ProposalForm(
                    formdata=None,
                    edit=version.edit_count,
                    **proposal_defaults(report, version, field),
                )
                for field in unmapped_fields(version)
                if not field.role
            },
            mapping_errors=mapping_errors or {},
        ),
        status,
    )


def _edit_counter(form) -> int:
    try:
        return int(form.edit.data)
    except (TypeError, ValueError):
        return -1


def _parse_mappings(version) -> dict[int, Mapping]:
    mappings: dict[int, Mapping] = {}
    for field in version.fields:
        typed = request.form.get(f"code-{field.id}", "").strip().upper()
        chosen = request.form.get(f"map-{field.id}")
        derivation = request.form.get(f"derive-{field.id}") or None
        if typed:
            mappings[field.id] = Mapping(element=typed, derivation=derivation)
        elif chosen is None:
            continue
        elif chosen.startswith("role:"):
            mappings[field.id] = Mapping(role=chosen.removeprefix("role:"))
        elif chosen.startswith("el:"):
            mappings[field.id] = Mapping(element=chosen.removeprefix("el:"), derivation=derivation)
        else:
            mappings[field.id] = Mapping()
    return mappings


@blueprint.post("/<code>/mapping")
@allow("owner")
def confirm_mapping(code: str):
    db = get_session()
    report = editable_report(db, signed_in_user(), code)
    form = MappingForm()
    form.validate_on_submit()
    version = report.latest
    try:
        apply_mappings(
            db, version, _parse_mappings(version), expected_edit=_edit_counter(form), now=utcnow()
        )
    except DomainError as error:
        db.rollback()
        report = editable_report(db, signed_in_user(), code)
        flash(error.message)
        return _render_detail(report, status=status_for(error), mapping_errors=error.details)
    db.commit()
    left = len(unmapped_fields(version))
    flash("对应关系已保存" + (f"，还有 {left} 个字段未确认" if left else "，全部字段已确认"))
    return redirect(url_for("reports.detail", code=code))


@blueprint.post("/<code>/fields")
@allow("owner")
def add(code: str):
    db = get_session()
    report = editable_report(db, signed_in_user(), code)
    form = FieldForm()
    if not form.validate_on_submit():
        return _render_detail(report, status=422, field_form=form)
    change = FieldChange(form.label.data, form.section.data, form.unit.data, form.required.data)
    add_field(db, report.latest, change, expected_edit=_edit_counter(form))
    db.commit()
    flash(f"已添加字段“{change.label}”")
    return redirect(url_for("reports.detail", code=code))


@blueprint.post("/<code>/fields/<int:field_id>/delete")
@allow("owner")
def delete_field(code: str, field_id: int):
    db = get_session()
    report = editable_report(db, signed_in_user(), code)
    form = PlainForm()
    remove_field(db, report.latest, field_id, expected_edit=_edit_counter(form))
    db.commit()
    flash("已删除字段")
    return redirect(url_for("reports.detail", code=code))


@blueprint.post("/<code>/fields/<int:field_id>/propose")
@allow("owner")
def propose(code: str, field_id: int):
    db = get_session()
    user = signed_in_user()
    report = editable_report(db, user, code)
    form = ProposalForm()
    if not form.validate_on_submit():
        flash(
            "新指标信息不完整："
            + "；".join(f"{form[k].label.text}{v[0]}" for k, v in form.errors.items())
        )
        return _render_detail(report, status=422)
    field = propose_element_for_field(
        db,
        report.latest,
        field_id,
        ElementInput.from_mapping(form.to_mapping()),
        proposed_by_id=user.id,
        expected_edit=_edit_counter(form),
    )
    db.commit()
    flash(f"已提出新指标“{field.element.name}”，待数据局审核")
    return redirect(url_for("reports.detail", code=code))


@blueprint.post("/<code>/versions")
@allow("owner")
def revise(code: str):
    db = get_session()
    report = editable_report(db, signed_in_user(), code)
    PlainForm()
    version = new_version(db, report)
    db.commit()
    flash(f"已新建第 {version.number} 版草稿")
    return redirect(url_for("reports.detail", code=code))
