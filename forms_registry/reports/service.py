"""Reports and their versions: look-ups, access, field mappings, new versions, freezing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_registry.accounts.models import Department, User
from forms_registry.elements.models import DataElement
from forms_registry.elements.service import ElementInput, create_element, get_element
from forms_registry.errors import Conflict, InvalidInput, NotFound
from forms_registry.importers.label_parsing import parse_label
from forms_registry.importers.model import LEVELS
from forms_registry.matching.matcher import totals_of
from forms_registry.matching.proposals import proposal_for_column
from forms_registry.periods import TO_DATE, TO_DATE_FREQUENCIES, adds_up
from forms_registry.reports.codes import next_report_code
from forms_registry.reports.models import (
    FREQUENCY_NAMES,
    ROLE_NAMES,
    Report,
    ReportField,
    ReportVersion,
)
from forms_registry.units import IncompatibleUnits, conversion_factor, normalize_unit


def get_report(session: Session, code: str) -> Report:
    report = session.scalar(select(Report).where(Report.code == code))
    if report is None:
        raise NotFound(f"未找到报表：{code}")
    return report


def visible_reports(session: Session, user: User) -> list[Report]:
    """Reviewers see every report; an owner sees its department's; fillers see none here."""
    statement = select(Report).order_by(Report.code)
    if user.role == "owner":
        statement = statement.where(Report.department_id == user.department_id)
    elif user.role != "reviewer":
        return []
    return list(session.scalars(statement))


def readable_report(session: Session, user: User, code: str) -> Report:
    """The report, or NotFound when it is not the caller's to see (existence not revealed)."""
    report = get_report(session, code)
    if user.role == "reviewer" or (
        user.role == "owner" and report.department_id == user.department_id
    ):
        return report
    raise NotFound(f"未找到报表：{code}")


def editable_report(session: Session, user: User, code: str) -> Report:
    """Only the owning department edits a report's definition."""
    report = readable_report(session, user, code)
    if user.role != "owner":
        raise NotFound(f"未找到报表：{code}")
    return report


def current_definition(report: Report) -> ReportVersion:
    """The newest frozen version (what was admitted), or the draft when none is frozen yet."""
    frozen = [version for version in report.versions if version.is_frozen]
    return frozen[-1] if frozen else report.latest


def _draft(version: ReportVersion, expected_edit: int | None = None) -> ReportVersion:
    """A version about to change: it must be a draft, and unchanged since the editor read it
    (`expected_edit`, when given); every change counts one edit."""
    if version.is_frozen:
        raise Conflict("该版本已提交准入并冻结，不能修改；请新建版本后再改")
    if expected_edit is not None and expected_edit != version.edit_count:
        raise Conflict("该报表已被他人修改，请刷新页面后重新确认")
    version.edit_count += 1
    version.mappings_confirmed_at = None  # any change needs the owner's confirmation again
    return version


def _field(version: ReportVersion, field_id: int) -> ReportField:
    for field in version.fields:
        if field.id == field_id:
            return field
    raise NotFound("未找到该字段")


def set_mapping(
    session: Session,
    version: ReportVersion,
    field_id: int,
    *,
    element: str | None,
    role: str | None,
    derivation: str | None = None,
    expected_edit: int | None = None,
) -> ReportField:
    """Confirm or change what a field means: a data element (or its total from the year's
    start, `derivation` TO_DATE), an identity/filler role, or nothing."""
    field = _field(_draft(version, expected_edit), field_id)
    if element and role:
        raise InvalidInput(
            "字段只能对应一个指标或一个角色", details={str(field_id): "不能同时选择指标和角色"}
        )
    if role is not None and role not in ROLE_NAMES:
        raise InvalidInput(
            "角色无效", details={str(field_id): "角色须为 org_name、org_code 或 meta"}
        )
    chosen = get_element(session, element) if element else None
    if derivation is not None:
        problem = to_date_problem(derivation, chosen, version.report.frequency)
        if problem:
            raise InvalidInput(problem, details={str(field_id): problem})
    field.element = chosen
    field.derivation = derivation
    field.role = role
    field.confidence = 1.0
    if field.element is not None:
        check_unit(field)
    session.flush()
    return field


def to_date_problem(derivation: str, element: DataElement | None, frequency: str) -> str | None:
    """Why a field may not be `element`'s total from the year's start, if it may not: only
    a count or amount over a period (a flow of integers or decimals, not a rate) adds up,
    and only in a report of a period shorter than the year."""
    if derivation != TO_DATE:
        return "取值方式无效：只能是本年累计（to_date）"
    if element is None or not adds_up(element.kind, element.value_type):
        return (
            "本年累计由各期数值相加得出，只能对应可相加的时期指标（人数、户数、金额等，不含比率）"
        )
    if frequency not in TO_DATE_FREQUENCIES:
        return "本年累计只用于月报、季报和半年报：年报的本年数就是本期数"
    return None


def check_unit(field: ReportField) -> None:
    try:
        unit_factor(field)
    except IncompatibleUnits as error:
        raise InvalidInput("计量单位与指标不一致", details={field.label: error.message}) from error


def unit_factor(field: ReportField):
    """Multiply the owner's value by this to get the element's canonical unit."""
    element = field.element
    assert element is not None
    return conversion_factor(
        field.unit or element.unit,
        element.unit,
        same_as=element.same_as,
    )


@dataclass(frozen=True)
class FieldChange:
    label: str
    section: str | None
    unit: str | None
    required: bool


def update_field(
    session: Session,
    version: ReportVersion,
    field_id: int,
    change: FieldChange,
    *,
    expected_edit: int | None = None,
) -> ReportField:
    field = _field(_draft(version, expected_edit), field_id)
    if not change.label.strip():
        raise InvalidInput("字段名称不能为空", details={"label": "请填写字段名称"})
    parsed = parse_label(change.label)
    field.label = change.label.strip()
    field.name, field.is_sub_item = parsed.name, parsed.is_sub_item
    field.section = (change.section or "").strip() or None
    field.unit = normalize_unit(change.unit or parsed.unit)
    field.required = change.required
    if field.element is not None:
        check_unit(field)
    session.flush()
    return field


def add_field(
    session: Session,
    version: ReportVersion,
    change: FieldChange,
    *,
    expected_edit: int | None = None,
) -> ReportField:
    _draft(version, expected_edit)
    position = max((field.position for field in version.fields), default=-1) + 1
    field = ReportField(
        position=position, label=change.label.strip(), name=change.label.strip(), candidates=[]
    )
    version.fields.append(field)
    session.flush()
    return update_field(session, version, field.id, change)


def remove_field(
    session: Session, version: ReportVersion, field_id: int, *, expected_edit: int | None = None
) -> None:
    field = _field(_draft(version, expected_edit), field_id)
    version.fields.remove(field)
    session.flush()


def new_version(session: Session, report: Report) -> ReportVersion:
    """A draft copy of the latest version (an owner revises a frozen or returned report)."""
    latest = report.latest
    if not latest.is_frozen:
        raise Conflict(f"第 {latest.number} 版仍是草稿，可直接修改，无需新建版本")
    version = ReportVersion(
        report=report,
        number=latest.number + 1,
        status="draft",
        source_format=latest.source_format,
        source_filename=latest.source_filename,
        layout=latest.layout,
        notes=list(latest.notes),
    )
    session.add(version)
    version.fields = [
        ReportField(
            position=field.position,
            label=field.label,
            name=field.name,
            section=field.section,
            unit=field.unit,
            required=field.required,
            value_type=field.value_type,
            choices=field.choices,
            minimum=field.minimum,
            maximum=field.maximum,
            row_code=field.row_code,
            is_sub_item=field.is_sub_item,
            element=field.element,
            derivation=field.derivation,
            role=field.role,
            confidence=field.confidence,
            candidates=list(field.candidates),
        )
        for field in latest.fields
    ]
    session.flush()
    return version


def unmapped_fields(version: ReportVersion) -> list[ReportField]:
    return [field for field in version.fields if not field.is_mapped]


def freeze(session: Session, version: ReportVersion, *, now: datetime) -> ReportVersion:
    """Freeze a version for admission: every field must be mapped, every unit convertible."""
    if version.is_frozen:
        raise Conflict("该版本已冻结")
    errors = {field.label: "尚未确认对应的指标或角色" for field in unmapped_fields(version)}
    if version.mappings_confirmed_at is None:
        errors["对应关系"] = "请先在报表页面逐项确认字段对应的指标，并保存"
    for field in version.fields:
        problem = field.derivation and to_date_problem(
            field.derivation, field.element, version.report.frequency
        )
        if problem:
            errors[field.label] = problem
        elif field.element is not None and field.element.status != "active":
            errors[field.label] = f"新指标“{field.element.name}”尚待数据局审核"
        elif field.element is not None:
            try:
                unit_factor(field)
            except IncompatibleUnits as error:
                errors[field.label] = error.message
    if errors:
        raise InvalidInput("还有字段未确认，不能提交准入", details=errors)
    version.status = "frozen"
    version.frozen_at = now
    session.flush()
    return version


@dataclass(frozen=True)
class Mapping:
    element: str | None = None
    role: str | None = None
    derivation: str | None = None  # TO_DATE: the element's total from the year's start


def apply_mappings(
    session: Session,
    version: ReportVersion,
    mappings: dict[int, Mapping],
    *,
    expected_edit: int,
    now: datetime,
) -> None:
    """The owner's confirmation of every field at once; all or nothing (the caller rolls
    back on error)."""
    _draft(version, expected_edit)
    errors: dict[str, str] = {}
    for field_id, mapping in mappings.items():
        try:
            set_mapping(
                session,
                version,
                field_id,
                element=mapping.element,
                role=mapping.role,
                derivation=mapping.derivation,
            )
        except (InvalidInput, NotFound) as error:
            errors.update(error.details or {str(field_id): error.message})
    if errors:
        raise InvalidInput("部分字段的对应关系有误，未保存", details=errors)
    version.mappings_confirmed_at = now
    session.flush()


def propose_element_for_field(
    session: Session,
    version: ReportVersion,
    field_id: int,
    data: ElementInput,
    *,
    proposed_by_id: int,
    expected_edit: int | None = None,
) -> ReportField:
    """A field nothing in the dictionary fits: propose a new element and map the field to it."""
    field = _field(_draft(version, expected_edit), field_id)
    element = create_element(session, data, status="proposed", proposed_by_id=proposed_by_id)
    field.element, field.role, field.confidence = element, None, 1.0
    field.derivation = None  # a new element's own figure; the owner may mark it 本年累计 later
    check_unit(field)
    session.flush()
    return field


def proposal_defaults(report: Report, version: ReportVersion, field: ReportField) -> dict:
    """What the new-element form offers for a field nothing fits: a code of the report and
    the field's place, the name the matcher reads the column by (see matching.proposals), its
    unit, value type, stock or flow, and for a `其中` sub-item the total's element."""
    whole = _field_above(version, field)
    proposal = proposal_for_column(
        field.proposal_name or field.name,
        column_name=field.name,
        unit=field.unit,
        value_type=field.value_type,
        parent=whole.element.code if whole is not None and whole.element is not None else None,
    )
    return {
        "code": f"{report.code}_{field.position + 1:02d}",
        "name": proposal.name,
        "value_type": proposal.value_type,
        "unit": proposal.unit,
        "kind": proposal.kind,
        "parent": proposal.parent,
    }


def _field_above(version: ReportVersion, field: ReportField) -> ReportField | None:
    """The field a sub-item is a part of, read as the matcher reads it (`totals_of`)."""
    fields = sorted(version.fields, key=lambda other: other.position)
    total = totals_of(fields, version.report.frequency)[fields.index(field)]
    return fields[total] if total is not None else None


def create_blank_report(
    session: Session, *, title: str, department: Department, frequency: str, level: str
) -> Report:
    """The web editor's start: an empty draft the owner adds fields to."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写报表名称"
    if frequency not in FREQUENCY_NAMES:
        errors["frequency"] = "报送频次无效"
    if level not in LEVELS:
        errors["level"] = "填报层级无效"
    if errors:
        raise InvalidInput("报表信息有误", details=errors)
    report = Report(
        code=next_report_code(session),
        title=title.strip(),
        department=department,
        frequency=frequency,
        level=level,
    )
    report.versions = [ReportVersion(number=1, status="draft", source_format="web", fields=[])]
    session.add(report)
    session.flush()
    return report


def current_mappings(version: ReportVersion) -> dict[int, Mapping]:
    """Every field's mapping as it stands (what the owner sees preselected on the page)."""
    return {
        field.id: Mapping(
            element=field.element.code if field.element else None,
            role=field.role,
            derivation=field.derivation,
        )
        for field in version.fields
    }


def confirm_as_is(session: Session, version: ReportVersion, *, now: datetime) -> None:
    """The owner confirms every field's mapping as it stands."""
    apply_mappings(
        session, version, current_mappings(version), expected_edit=version.edit_count, now=now
    )
