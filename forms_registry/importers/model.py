"""What every template importer (XLSX, XLSForm, JSON) produces: a report definition
not yet mapped to data elements."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

VALUE_TYPES = (
    "integer",
    "decimal",
    "percent",
    "text",
    "date",
    "boolean",
    "choice",
    "multi_choice",
)
VALUE_TYPE_NAMES = {
    "integer": "整数",
    "decimal": "小数",
    "percent": "百分比",
    "text": "文本",
    "date": "日期",
    "boolean": "是/否",
    "choice": "单选",
    "multi_choice": "多选",
}
FREQUENCIES = ("monthly", "quarterly", "half_yearly", "yearly", "one_off")
LEVELS = ("province", "city", "county", "township", "village")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass
class ImportedField:
    """One column (or, in a vertical statistical form, one row) of a template."""

    label: str  # the header exactly as written, unit included ("户籍人口（万人）")
    name: str  # the label without unit and without a leading 其中： ("户籍人口")
    order: int  # 0-based position in the template
    section: str | None = None  # upper header level, XLSForm group, or None
    unit: str | None = None  # unit as written by the owner ("万人"), None when absent
    is_sub_item: bool = False  # the label started with 其中 / 其中： (part of the field before)
    value_type: str | None = None  # one of VALUE_TYPES when the source says so
    required: bool = False
    choices: list[Choice] | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    code: str | None = None  # row/column code printed on a statistical form, if any
    # Filled by the matcher or given by a JSON definition:
    element: str | None = None
    role: str | None = None  # "org_name" | "org_code" | "meta" for identity/filler columns
    derivation: str | None = None  # "to_date": the element's total from the year's start


@dataclass
class ImportedReport:
    title: str
    fields: list[ImportedField]
    source_format: str  # "xlsx" | "xlsform" | "json"
    layout: str = "horizontal"  # "horizontal" (one column a field) | "vertical" (one row a field)
    frequency: str | None = None  # one of FREQUENCIES, when stated or inferred
    level: str | None = None  # one of LEVELS, when stated or inferred
    owner: str | None = None
    notes: list[str] = field(default_factory=list)  # note rows above/below the table
