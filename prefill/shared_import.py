"""Import shared data (org code, period, one column per data element) into a source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_registry.elements.models import DataElement
from forms_registry.errors import InvalidInput
from forms_registry.importers.model import Choice
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import SharedSource, SharedValue
from prefill.tables import read_rows
from prefill.values import InvalidValue, ValueRules, canonical, is_blank

ORG_COLUMNS = ("org_code", "行政区划代码", "区划代码", "代码")
PERIOD_COLUMNS = ("period", "期别", "时期", "统计期")


@dataclass(frozen=True)
class SharedRecord:
    org_code: str
    period: str
    element: str
    value: str  # canonical text


def element_rules(element: DataElement) -> ValueRules:
    choices = tuple(Choice(str(c["value"]), str(c["label"])) for c in element.choices or ()) or None
    return ValueRules(element.value_type, element.minimum, element.maximum, choices)


def parse_shared_table(
    session: Session, rows: list[list[str]], source: SharedSource | None = None
) -> list[SharedRecord]:
    """Check every cell; any error and nothing is imported (errors name row and column)."""
    if not rows:
        raise InvalidInput("文件为空")
    header = [cell.strip() for cell in rows[0]]
    org_col = next((i for i, name in enumerate(header) if name.lower() in ORG_COLUMNS), None)
    period_col = next((i for i, name in enumerate(header) if name.lower() in PERIOD_COLUMNS), None)
    if org_col is None or period_col is None:
        raise InvalidInput("表头须包含 org_code（行政区划代码）和 period（期别）两列")
    elements = _element_columns(session, header, {org_col, period_col})
    if source is not None:
        provided = {binding.element_id for binding in source.bindings}
        foreign = [
            header[column] for column, element in elements.items() if element.id not in provided
        ]
        if foreign:
            raise InvalidInput(f"以下列不由“{source.name}”提供，未导入：" + "、".join(foreign))
    orgs = set(session.scalars(select(OrgUnit.code)))
    errors: dict[str, str] = {}
    records: list[SharedRecord] = []
    for line, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        org_code, period = cells[org_col].strip(), cells[period_col].strip()
        if org_code not in orgs:
            errors[f"第{line}行"] = f"未知的行政区划代码 {org_code!r}"
            continue
        try:
            period = Period.parse(period).id
        except InvalidInput:
            errors[f"第{line}行"] = f"期别 {period!r} 无效（应如 2025-03、2025Q1、2025）"
            continue
        for column, element in elements.items():
            raw = cells[column]
            if is_blank(raw):
                continue
            try:
                records.append(
                    SharedRecord(
                        org_code, period, element.code, canonical(raw, element_rules(element))
                    )
                )
            except InvalidValue as error:
                errors[f"第{line}行 {header[column]}"] = str(error)
    if errors:
        raise InvalidInput(
            "共享数据有错误，未导入任何数据", details=dict(list(errors.items())[:50])
        )
    return records


def _element_columns(session: Session, header: list[str], skip: set[int]) -> dict[int, DataElement]:
    by_code = {
        e.code: e
        for e in session.scalars(select(DataElement).where(DataElement.status == "active"))
    }
    by_name = {e.name: e for e in by_code.values()}
    columns: dict[int, DataElement] = {}
    unknown = []
    for index, name in enumerate(header):
        if index in skip or not name:
            continue
        element = by_code.get(name.upper()) or by_name.get(name)
        if element is None:
            unknown.append(name)
        else:
            columns[index] = element
    if unknown:
        raise InvalidInput("表头中有指标库没有的列：" + "、".join(unknown))
    if not columns:
        raise InvalidInput("没有指标数据列")
    return columns


def store_shared_values(
    session: Session,
    source: SharedSource,
    records: list[SharedRecord],
    *,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert or update each value, keeping the source and the time it came."""
    orgs = {code: org_id for code, org_id in session.execute(select(OrgUnit.code, OrgUnit.id))}
    elements = {
        code: element_id
        for code, element_id in session.execute(select(DataElement.code, DataElement.id))
    }
    existing = {
        (value.org_unit_id, value.period, value.element_id): value
        for value in session.scalars(
            select(SharedValue).where(
                SharedValue.element_id.in_({elements[r.element] for r in records})
            )
        )
    }
    for done, record in enumerate(records, start=1):
        key = (orgs[record.org_code], record.period, elements[record.element])
        row = existing.get(key)
        if row is None:
            row = SharedValue(org_unit_id=key[0], period=key[1], element_id=key[2])
            session.add(row)
            existing[key] = row
        row.source, row.value, row.fetched_at = source, record.value, now
        if progress is not None and done % 500 == 0:
            progress(500)
    session.flush()
    return len(records)


def import_shared_file(
    session: Session, source: SharedSource, data: bytes, filename: str, *, now: datetime
) -> int:
    records = parse_shared_table(session, read_rows(data, filename), source)
    return store_shared_values(session, source, records, now=now)
