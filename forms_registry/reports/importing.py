"""Import a template as a draft report, every field with a suggested data element or role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_registry.accounts.service import get_or_create_department
from forms_registry.elements.catalog import catalog_from_db
from forms_registry.elements.models import DataElement
from forms_registry.errors import InvalidInput
from forms_registry.importers.model import FREQUENCIES, LEVELS, ImportedField, ImportedReport
from forms_registry.importers.reading import read_template
from forms_registry.matching.catalog import CatalogElement
from forms_registry.matching.matcher import FieldMatch, match_report
from forms_registry.matching.proposals import Proposal, proposals_for
from forms_registry.reports.codes import next_report_code
from forms_registry.reports.models import FREQUENCY_NAMES, Report, ReportField, ReportVersion
from forms_registry.reports.service import to_date_problem
from forms_registry.units import normalize_unit

LEVEL_NAMES = {"province": "省", "city": "市", "county": "县", "township": "乡镇", "village": "村"}


@dataclass(frozen=True)
class ImportOptions:
    owner: str | None = None
    frequency: str | None = None
    level: str | None = None
    dry_run: bool = False


@dataclass
class ImportResult:
    imported: ImportedReport
    matches: list[FieldMatch]
    report: Report | None  # None on a dry run

    def to_json(self) -> dict:
        return {
            "title": self.imported.title,
            "code": self.report.code if self.report else None,
            "owner": self.imported.owner,
            "frequency": self.imported.frequency,
            "level": self.imported.level,
            "layout": self.imported.layout,
            "fields": [
                {
                    "label": field.label,
                    "section": field.section,
                    "unit": field.unit,
                    "element": match.element,
                    "role": match.role,
                    # only for a to-date total (本年累计), which is worked out, not asked
                    **({"derivation": match.derivation} if match.derivation else {}),
                    "confidence": round(match.confidence, 3),
                    "candidates": [
                        {"element": candidate.element, "score": round(candidate.score, 3)}
                        for candidate in match.candidates
                    ],
                }
                for field, match in zip(self.imported.fields, self.matches, strict=True)
            ],
        }


def import_template(
    session: Session, data: bytes, filename: str, options: ImportOptions
) -> ImportResult:
    imported = read_template(data, filename)
    _settle_facts(imported, options)
    catalog = catalog_from_db(session)
    matches = _matches(session, imported, catalog)
    report = None
    if not options.dry_run:
        proposals = proposals_for(imported, matches, catalog)
        report = store_report(session, imported, matches, proposals)
    return ImportResult(imported=imported, matches=matches, report=report)


def _settle_facts(imported: ImportedReport, options: ImportOptions) -> None:
    """Options win over what the template says; without either, a clear error when the
    report is to be stored (a dry run stores nothing, so unknown facts print as null)."""
    imported.frequency = options.frequency or imported.frequency
    imported.level = options.level or imported.level
    imported.owner = options.owner or imported.owner
    errors: dict[str, str] = {}
    if not options.dry_run:
        errors.update(_missing_facts(imported))
    if not imported.fields:
        errors["fields"] = "模板中没有可填报的字段"
    if errors:
        raise InvalidInput("报表信息不完整，未导入", details=errors)


def _missing_facts(imported: ImportedReport) -> dict[str, str]:
    errors: dict[str, str] = {}
    if imported.frequency not in FREQUENCIES:
        errors["frequency"] = (
            "无法从模板判断报送频次（标题中没有月报、季报、年报等字样），请指定："
            + "、".join(f"{code}（{name}）" for code, name in FREQUENCY_NAMES.items())
        )
    if imported.level not in LEVELS:
        errors["level"] = "无法从模板判断填报层级（没有村名、乡镇名称等列），请指定：" + "、".join(
            f"{code}（{name}）" for code, name in LEVEL_NAMES.items()
        )
    if not imported.owner:
        errors["owner"] = "请指定报表所属部门"
    return errors


def _matches(
    session: Session, imported: ImportedReport, catalog: list[CatalogElement]
) -> list[FieldMatch]:
    """The matcher's suggestions, except where a JSON definition already says what a field is."""
    suggested = match_report(imported, catalog)
    named = {field.element for field in imported.fields if field.element}
    known = {
        element.code: element
        for element in session.scalars(
            select(DataElement).where(DataElement.status == "active", DataElement.code.in_(named))
        )
    }
    result: list[FieldMatch] = []
    for field, match in zip(imported.fields, suggested, strict=True):
        if field.element or field.role:
            if field.element and field.element not in known:
                raise InvalidInput(
                    "报表信息有误，未导入", details={field.label: f"指标库中没有 {field.element}"}
                )
            problem = field.derivation and to_date_problem(
                field.derivation, known.get(field.element or ""), imported.frequency or ""
            )
            if problem:
                raise InvalidInput("报表信息有误，未导入", details={field.label: problem})
            match = FieldMatch(
                element=field.element,
                role=field.role,
                confidence=1.0,
                candidates=match.candidates,
                derivation=field.derivation,
            )
        result.append(match)
    return result


def store_report(
    session: Session,
    imported: ImportedReport,
    matches: list[FieldMatch],
    proposals: dict[int, Proposal] | None = None,
) -> Report:
    report = Report(
        code=next_report_code(session),
        title=imported.title,
        department=get_or_create_department(session, imported.owner or ""),
        frequency=imported.frequency,
        level=imported.level,
    )
    version = ReportVersion(
        report=report,
        number=1,
        status="draft",
        source_format=imported.source_format,
        layout=imported.layout,
        notes=list(imported.notes),
    )
    elements = {
        element.code: element
        for element in session.scalars(
            select(DataElement).where(
                DataElement.code.in_([m.element for m in matches if m.element])
            )
        )
    }
    proposals = proposals or {}
    version.fields = [
        _field_row(position, field, match, elements, proposals.get(position))
        for position, (field, match) in enumerate(zip(imported.fields, matches, strict=True))
    ]
    session.add(report)
    session.flush()
    return report


def _field_row(
    position: int,
    field: ImportedField,
    match: FieldMatch,
    elements: dict[str, DataElement],
    proposal: Proposal | None,
) -> ReportField:
    return ReportField(
        position=position,
        label=field.label,
        name=field.name,
        section=field.section,
        unit=normalize_unit(field.unit),
        required=field.required,
        value_type=field.value_type,
        choices=[{"value": c.value, "label": c.label} for c in field.choices]
        if field.choices
        else None,
        minimum=field.minimum,
        maximum=field.maximum,
        row_code=field.code,
        is_sub_item=field.is_sub_item,
        element=elements.get(match.element) if match.element else None,
        derivation=match.derivation if match.element in elements else None,
        role=match.role,
        confidence=match.confidence,
        candidates=[{"element": c.element, "score": round(c.score, 3)} for c in match.candidates],
        proposal_name=proposal.name if proposal else None,
    )
