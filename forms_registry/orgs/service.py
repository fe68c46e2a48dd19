"""Org units: look-ups, the tree, and CSV import."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sqlalchemy import bindparam, func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from forms_registry.errors import InvalidInput, NotFound
from forms_registry.orgs.models import LEVEL_NAMES, LEVELS, OrgUnit

CODE_PATTERN = re.compile(r"^\d{12}$")
CSV_COLUMNS = {
    "code": ("code", "代码", "行政区划代码"),
    "name": ("name", "名称"),
    "level": ("level", "层级", "级别"),
    "parent_code": ("parent_code", "上级代码"),
}
LEVEL_BY_CHINESE = {name: level for level, name in LEVEL_NAMES.items()} | {
    "村": "village",
    "社区": "village",
    "乡": "township",
    "镇": "township",
    "街道": "township",
}


def _with_ancestors():
    """The unit with the code given as `code` and every unit above it (built once: a
    recursive CTE takes longer to build than to run)."""
    chain = (
        select(OrgUnit.id, OrgUnit.parent_id)
        .where(OrgUnit.code == bindparam("code"))
        .cte("chain", recursive=True)
    )
    chain = chain.union(
        select(OrgUnit.id, OrgUnit.parent_id).join(chain, OrgUnit.id == chain.c.parent_id)
    )
    return select(OrgUnit).join(chain, OrgUnit.id == chain.c.id)


WITH_ANCESTORS = _with_ancestors()


def get_org(session: Session, code: str) -> OrgUnit:
    """The unit, loaded with every unit above it in one query: scope checks and admissions
    walk `parent` up to the root, which then costs no query per level."""
    units = session.scalars(WITH_ANCESTORS, {"code": code}).all()
    by_id = {unit.id: unit for unit in units}
    for unit in units:
        # held by the child (the session keeps only weak references), unless already loaded
        if unit.parent_id in by_id and "parent" not in inspect(unit).dict:
            set_committed_value(unit, "parent", by_id[unit.parent_id])
    org = next((unit for unit in units if unit.code == code), None)
    if org is None:
        raise NotFound("未找到该行政区划")
    return org


def roots(session: Session) -> list[OrgUnit]:
    return list(
        session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.code))
    )


def count_by_level(session: Session) -> dict[str, int]:
    rows = session.execute(select(OrgUnit.level, func.count()).group_by(OrgUnit.level))
    return {level: count for level, count in rows}


def ancestors(org: OrgUnit) -> list[OrgUnit]:
    """From the root down to the unit's parent."""
    chain: list[OrgUnit] = []
    node = org.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


@dataclass(frozen=True)
class OrgRow:
    code: str
    name: str
    level: str
    parent_code: str | None


def add_org(session: Session, row: OrgRow) -> OrgUnit:
    """Create or update one org unit; its parent must exist and sit one level higher."""
    parent = get_org(session, row.parent_code) if row.parent_code else None
    if parent is not None and LEVELS.index(parent.level) != LEVELS.index(row.level) - 1:
        raise InvalidInput(
            f"{row.code} 的上级 {parent.code} 层级不符：{parent.level_name}之下不能直接是"
            f"{LEVEL_NAMES[row.level]}"
        )
    org = session.scalar(select(OrgUnit).where(OrgUnit.code == row.code))
    if org is None:
        org = OrgUnit(code=row.code)
        session.add(org)
    org.name, org.level, org.parent = row.name, row.level, parent
    session.flush()
    return org


def parse_org_csv(text: str) -> list[OrgRow]:
    """Read `code,name,level,parent_code` (English or Chinese headers); errors name the line."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        raise InvalidInput("CSV 文件为空")
    positions = _column_positions([cell.strip() for cell in header])
    rows: list[OrgRow] = []
    errors: dict[str, str] = {}
    for line_no, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        try:
            rows.append(_parse_row(cells, positions))
        except ValueError as exc:
            errors[f"第{line_no}行"] = str(exc)
    if errors:
        raise InvalidInput("行政区划 CSV 有错误，未导入任何数据", details=errors)
    return rows


def import_org_csv(session: Session, text: str) -> int:
    """Import a whole file or nothing; parents may appear anywhere in the file."""
    rows = parse_org_csv(text)
    rows.sort(key=lambda row: LEVELS.index(row.level))
    for row in rows:
        add_org(session, row)
    return len(rows)


def _column_positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for key, names in CSV_COLUMNS.items():
        for index, cell in enumerate(header):
            if cell.lower() in names:
                positions[key] = index
    missing = [CSV_COLUMNS[key][0] for key in ("code", "name", "level") if key not in positions]
    if missing:
        raise InvalidInput(
            "CSV 缺少列：" + "、".join(missing) + "（需要 code,name,level,parent_code）"
        )
    return positions


def _parse_row(cells: list[str], positions: dict[str, int]) -> OrgRow:
    def cell(key: str) -> str:
        index = positions.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    code, name, level, parent_code = cell("code"), cell("name"), cell("level"), cell("parent_code")
    if not CODE_PATTERN.match(code):
        raise ValueError(f"行政区划代码须为 12 位数字：{code!r}")
    if not name:
        raise ValueError("名称不能为空")
    level = LEVEL_BY_CHINESE.get(level, level.lower())
    if level not in LEVELS:
        raise ValueError(f"未知层级：{level!r}")
    if parent_code and not CODE_PATTERN.match(parent_code):
        raise ValueError(f"上级代码须为 12 位数字：{parent_code!r}")
    return OrgRow(code=code, name=name, level=level, parent_code=parent_code or None)
