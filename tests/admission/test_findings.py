"""Review findings on fresh applications against the demo's admissions and shared sources:
what is already collected (and by whom), what shared data provides, what is new, the
burden in hours and the frequency flags. Only admissions valid today count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.findings import BurdenSettings, compute_findings
from admission.models import Admission
from admission.queries import valid_admissions
from admission.service import ApplicationInput, apply_for_admission, revoke
from app.demo import DEMO_DATA
from forms_registry.accounts.service import get_or_create_department, get_user
from forms_registry.reports.importing import ImportOptions, import_template
from forms_registry.reports.models import Report, ReportVersion
from forms_registry.reports.service import (
    FieldChange,
    Mapping,
    add_field,
    apply_mappings,
    confirm_as_is,
    create_blank_report,
    get_report,
    new_version,
)
from tests.run_day import RUN_DAY

TODAY = RUN_DAY
NOW = datetime.now(UTC)
COUNTY = "439901000000"
TOWNSHIP = "439901100000"  # 东岭镇, five villages
MZ = "民政社会救助系统"
GA = "公安户籍人口库"
RS = "人社社会保险系统"
TY = "退役军人信息系统"


def _application(scope: str = COUNTY) -> ApplicationInput:
    return ApplicationInput(
        justification="履行职责需要",
        legal_basis="《中华人民共和国统计法》",
        scope_org_code=scope,
        due_day=10,
        valid_from=TODAY,
        valid_to=TODAY + timedelta(days=365),
    )


def _confirm(db: Session, version: ReportVersion) -> None:
    confirm_as_is(db, version, now=NOW)


def _apply(db: Session, report: Report, *, scope: str = COUNTY, burden=None) -> Admission:
    _confirm(db, report.latest)
    owner = get_user(db, "owner")
    extra = {"burden": burden} if burden else {}
    return apply_for_admission(
        db, report, owner, _application(scope), today=TODAY, now=NOW, **extra
    )


def _codes(db: Session) -> dict[str, str]:
    """Report code → admission code of the admissions valid today."""
    return {a.report.code: a.code for a in valid_admissions(db, TODAY)}


def _user(db: Session, report: str, label: str) -> dict:
    report_row = db.scalar(select(Report).where(Report.code == report))
    return {
        "report": report,
        "title": report_row.title,
        "owner": report_row.department.name,
        "label": label,
        "admission": _codes(db)[report],
    }


def _blank(db: Session, frequency: str, fields: list[tuple[str, str | None, str | None]]):
    """A web-editor report of 县民政局 with (label, element, role) fields."""
    report = create_blank_report(
        db,
        title="测试用综合情况表",
        department=get_or_create_department(db, "县民政局"),
        frequency=frequency,
        level="village",
    )
    version = report.latest
    for label, _, _ in fields:
        add_field(db, version, FieldChange(label, None, None, False))
    mappings = {
        field.id: Mapping(element=element, role=role)
        for field, (_, element, role) in zip(version.fields, fields, strict=True)
    }
    apply_mappings(db, version, mappings, expected_edit=version.edit_count, now=NOW)
    return report


def test_the_demo_world_is_what_these_tests_assume(db_session):
    assert list(_codes(db_session)) == [
        "R0007",
        "R0008",
        "R0002",
        "R0009",
        "R0010",
        "R0011",
        "R0001",
    ]


def test_a_reimported_quarterly_elderly_care_report_gets_exact_findings(db_session):
    """The sample 村级养老服务情况季报 (R0005, still pending in the demo) imported again as a
    new report of 县民政局 and applied for."""
    path = DEMO_DATA / "templates" / "p5_minzheng_quarterly.xlsx"
    options = ImportOptions(owner="县民政局", frequency="quarterly", level="village")
    report = import_template(db_session, path.read_bytes(), path.name, options).report
    assert report.code not in {"R0005"} and report.department.name == "县民政局"

    findings = _apply(db_session, report).findings

    def entry(element: str, name: str, label: str) -> dict:
        return {"element": element, "name": name, "label": label}

    pop_60 = entry("POP_60", "60岁及以上人口", "60岁及以上（人）")
    pop_80 = entry("POP_80", "80岁及以上人口", "80岁及以上（人）")
    dibao_hh = entry("DIBAO_HH", "低保户数", "低保户数（户）")
    dibao_p = entry("DIBAO_P", "低保人数", "低保人数（人）")
    station = entry("ELDER_STATION", "养老服务站", "养老服务站数（个）")
    assert findings["duplicated"] == [
        pop_60 | {"used_by": [_user(db_session, "R0011", "60周岁以上老年人（人）")]},
        dibao_hh | {"used_by": [_user(db_session, "R0007", "低保户数（户）")]},
        dibao_p
        | {
            "used_by": [
                _user(db_session, "R0007", "低保人数（人）"),
                _user(db_session, "R0011", "最低生活保障人数（人）"),
            ]
        },
    ]
    assert findings["duplicated"][0]["used_by"][0]["owner"] == "县人力资源和社会保障局"
    assert findings["shareable"] == [
        dibao_hh | {"source": "MZ_JIUZHU", "source_name": MZ},
        dibao_p | {"source": "MZ_JIUZHU", "source_name": MZ},
    ]
    assert findings["new"] == [pop_80, station]
    message = "“{}”每年才变化一次，按季报收集会让基层重复填报"
    assert findings["frequency_flags"] == [
        item | {"stability": "yearly", "message": message.format(item["label"])}
        for item in (pop_60, pop_80, station)
    ]
    assert findings["conflicts"] == []
    # 5 element fields × 13 villages × 4 quarters × 2 minutes ÷ 60 = 8.67 h; new: 2 fields
    assert findings["burden"] == {
        "respondents": 13,
        "periods_per_year": 4,
        "minutes_per_field": "2",
        "fields_asked": 5,
        "fields_new": 2,
        "hours_asked": "8.7",
        "hours_new": "3.5",
    }


def test_shareable_fields_name_their_source_and_lapsed_admissions_do_not_count(db_session):
    fields = [
        ("村名", None, "org_name"),
        ("户籍人口", "POP_REG", None),
        ("户籍户数", "HH_REG", None),
        ("低保户数", "DIBAO_HH", None),
        ("低保人数", "DIBAO_P", None),
        ("特困人数", "TEKUN_P", None),
        ("养老保险参保", "PENSION_INS", None),
        ("医保参保", "MED_INS", None),
        ("退役军人", "VETERANS", None),  # shared; only the expired R0003 asked it
        ("服务站人员", "VET_STAFF", None),  # only the expired R0003
        ("留守妇女", "LEFTBEHIND_WOMEN", None),  # only the revoked R0004
        ("养老服务站", "ELDER_STATION", None),  # only R0005, still awaiting review
        ("地区生产总值", "GDP", None),  # only R0006, returned
        ("规上企业", "BIG_FIRMS", None),  # only R0012, rejected
        ("土地面积", "AREA", None),  # fixed, nobody asks it
        ("填报人", None, "meta"),
    ]
    report = _blank(db_session, "monthly", fields)

    findings = _apply(db_session, report).findings

    assert [(d["element"], d["label"], d["source_name"]) for d in findings["shareable"]] == [
        ("POP_REG", "户籍人口", GA),
        ("HH_REG", "户籍户数", GA),
        ("DIBAO_HH", "低保户数", MZ),
        ("DIBAO_P", "低保人数", MZ),
        ("TEKUN_P", "特困人数", MZ),
        ("PENSION_INS", "养老保险参保", RS),
        ("MED_INS", "医保参保", RS),
        ("VETERANS", "退役军人", TY),
    ]
    assert [d["source"] for d in findings["shareable"]] == [
        "GA_HUJI",
        "GA_HUJI",
        "MZ_JIUZHU",
        "MZ_JIUZHU",
        "MZ_JIUZHU",
        "RS_SHEBAO",
        "RS_SHEBAO",
        "TY_JUNREN",
    ]
    collected = {d["element"]: [u["report"] for u in d["used_by"]] for d in findings["duplicated"]}
    assert collected == {
        "POP_REG": ["R0007", "R0008", "R0001"],
        "HH_REG": ["R0008", "R0002"],
        "DIBAO_HH": ["R0007"],
        "DIBAO_P": ["R0007", "R0011"],
        "TEKUN_P": ["R0007"],
        "PENSION_INS": ["R0011"],
        "MED_INS": ["R0011"],
    }
    assert [d["element"] for d in findings["new"]] == [
        "VET_STAFF",
        "LEFTBEHIND_WOMEN",
        "ELDER_STATION",
        "GDP",
        "BIG_FIRMS",
        "AREA",
    ]
    flags = {d["element"]: d["message"] for d in findings["frequency_flags"]}
    assert list(flags) == [
        "POP_REG",
        "HH_REG",
        "VETERANS",
        "VET_STAFF",
        "ELDER_STATION",
        "GDP",
        "BIG_FIRMS",
        "AREA",
    ]
    assert flags["AREA"] == "“土地面积”基本不变，按月报收集会让基层重复填报"
    assert flags["GDP"] == "“地区生产总值”每年才变化一次，按月报收集会让基层重复填报"
    burden = findings["burden"]
    # 14 element fields × 13 villages × 12 months × 2 min ÷ 60 = 72.8 h; 6 new → 31.2 h
    assert (burden["fields_asked"], burden["fields_new"]) == (14, 6)
    assert (burden["hours_asked"], burden["hours_new"]) == ("72.8", "31.2")
    assert burden["periods_per_year"] == 12 and burden["respondents"] == 13


def test_a_revoked_admission_stops_counting_as_collected(db_session):
    fields = [("村名", None, "org_name"), ("临时救助", "TEMP_RELIEF", None)]
    before = _blank(db_session, "yearly", fields)
    assert [d["element"] for d in _apply(db_session, before).findings["duplicated"]] == [
        "TEMP_RELIEF"
    ]

    r0007 = next(a for a in valid_admissions(db_session, TODAY) if a.report.code == "R0007")
    revoke(db_session, r0007, reviewer=get_user(db_session, "reviewer"), now=NOW, reason="测试")
    after = _blank(db_session, "yearly", fields)
    findings = _apply(db_session, after).findings

    assert findings["duplicated"] == []
    assert [d["element"] for d in findings["new"]] == ["TEMP_RELIEF"]


def test_an_admission_counts_only_inside_its_validity_window(db_session):
    """The same application assessed on different days: before R0010 is valid, while it
    is, and after it expired."""
    fields = [("村名", None, "org_name"), ("党员", "PARTY", None)]
    report = _blank(db_session, "yearly", fields)
    r0010 = next(a for a in valid_admissions(db_session, TODAY) if a.report.code == "R0010")
    version = report.latest

    def collected_on(day: date) -> list[str]:
        found = compute_findings(db_session, version, respondents=13, today=day)
        return [u["report"] for d in found["duplicated"] for u in d["used_by"]]

    assert collected_on(TODAY) == ["R0010"]
    assert collected_on(r0010.valid_to) == ["R0010"]
    assert collected_on(r0010.valid_to + timedelta(days=1)) == []
    assert collected_on(r0010.valid_from - timedelta(days=1)) == []


def test_burden_follows_scope_frequency_and_minutes_setting(db_session):
    fields = [
        ("村名", None, "org_name"),
        ("党员", "PARTY", None),
        ("网格员", "GRIDMEN", None),
        ("驻村工作队员", "VILLAGE_WORK_TEAM", None),
    ]
    report = _blank(db_session, "half_yearly", fields)

    burden = _apply(
        db_session,
        report,
        scope=TOWNSHIP,
        burden=BurdenSettings(minutes_per_field=Decimal("3")),
    ).findings["burden"]

    # 3 fields × 5 villages of 东岭镇 × 2 half-years × 3 minutes ÷ 60 = 1.5 h;
    # PARTY and GRIDMEN are already collected by R0010, so 1 new field → 0.5 h
    assert burden == {
        "respondents": 5,
        "periods_per_year": 2,
        "minutes_per_field": "3",
        "fields_asked": 3,
        "fields_new": 1,
        "hours_asked": "1.5",
        "hours_new": "0.5",
    }


def test_a_yearly_report_of_yearly_facts_raises_no_frequency_flag(db_session):
    fields = [("村名", None, "org_name"), ("户籍人口", "POP_REG", None), ("面积", "AREA", None)]
    findings = _apply(db_session, _blank(db_session, "yearly", fields)).findings
    assert findings["frequency_flags"] == []
    assert findings["burden"]["periods_per_year"] == 1


def test_a_reports_own_earlier_admission_is_not_a_duplicate(db_session):
    """R0007 revised: its own admitted first version does not count against it."""
    report = get_report(db_session, "R0007")
    new_version(db_session, report)
    findings = _apply(db_session, report).findings
    assert all(user["report"] != "R0007" for d in findings["duplicated"] for user in d["used_by"])
    collected = {d["element"]: [u["report"] for u in d["used_by"]] for d in findings["duplicated"]}
    assert collected == {"DIBAO_P": ["R0011"], "POP_REG": ["R0008", "R0001"]}
