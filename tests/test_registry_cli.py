"""`reportonce reports import` and `reportonce merge` against databases of their own."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from app.database import database
from forms_registry.accounts.models import Department
from forms_registry.reports.models import Report, ReportField, ReportVersion
from tests.conftest import make_test_app
from tests.forms_registry.xlsx_builders import workbook_bytes
from tests.samples_path import SAMPLES

pytestmark = pytest.mark.realdb

REPORTS = SAMPLES / "reports"
XLSFORMS = SAMPLES / "xlsform"
TRUTH = json.loads((REPORTS / "truth.json").read_text(encoding="utf-8"))
ROLES = {"ORG_NAME": "org_name", "ORG_CODE": "org_code", "META": "meta"}
FIELD_KEYS = {"label", "section", "unit", "element", "role", "confidence", "candidates"}
VILLAGE_REPORTS = {f"R{n:04d}" for n in (1, 2, 3, 4, 5, 7, 8, 9, 10, 11)}
QUARTERLY_REPORTS = {"R0004", "R0005", "R0008", "R0009", "R0011"}


@pytest.fixture(scope="module")
def demo_app(new_database: Callable[[], str]) -> Iterator:
    """One demo database for the read-only commands (dry runs and merges)."""
    app = make_test_app(new_database())
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    yield app
    database(app).engine.dispose()


@pytest.fixture
def demo(demo_app):
    return demo_app.test_cli_runner()


@pytest.fixture
def library_app(real_database):
    """An empty database with only the starter element library: imports get R0001 on."""
    app = make_test_app(real_database)
    result = app.test_cli_runner().invoke(args=["elements", "load"])
    assert result.exit_code == 0, result.output
    assert "已载入" in result.output
    yield app
    database(app).engine.dispose()


@pytest.fixture
def cli(library_app):
    return library_app.test_cli_runner()


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _count_reports(app) -> int:
    with database(app).readers() as session:
        return session.scalar(select(func.count(Report.id)))


def _stored(app, code: str) -> dict:
    with database(app).readers() as session:
        report = session.scalar(select(Report).where(Report.code == code))
        version = report.latest
        return {
            "title": report.title,
            "owner": report.department.name,
            "frequency": report.frequency,
            "level": report.level,
            "status": version.status,
            "source_format": version.source_format,
            "fields": [
                (f.label, f.element.code if f.element else None, f.role) for f in version.fields
            ],
        }


def _expected_meanings(sample: str) -> list[tuple[str, str | None, str | None]]:
    return [
        (column["label"], None, ROLES[column["concept"]])
        if column["concept"] in ROLES
        else (column["label"], column["concept"], None)
        for column in TRUTH[sample]["columns"]
    ]


# ---------------------------------------------------------------- import


def test_dry_run_prints_the_spec_shape_and_stores_nothing(demo, demo_app):
    before = _count_reports(demo_app)
    path = REPORTS / "p5_minzheng_quarterly.xlsx"
    output = _json(demo.invoke(args=["reports", "import", str(path), "--dry-run", "--json"]))

    assert output["title"] == "村级养老服务情况季报"
    assert output["code"] is None
    assert (output["frequency"], output["level"], output["owner"]) == (
        "quarterly",
        "village",
        None,
    )
    fields = output["fields"]
    assert [field["label"] for field in fields] == [c["label"] for c in TRUTH[path.name]["columns"]]
    for field in fields:
        assert set(field) == FIELD_KEYS
        assert field["element"] is None or field["role"] is None
        assert 0 <= field["confidence"] <= 1
        for candidate in field["candidates"]:
            assert set(candidate) == {"element", "score"}
            assert 0 <= candidate["score"] <= 1
    assert [(f["label"], f["element"], f["role"]) for f in fields] == _expected_meanings(path.name)
    assert [(f["section"], f["unit"]) for f in fields[:3]] == [
        (None, None),
        ("老年人口", "人"),
        ("老年人口", "人"),
    ]
    dibao = fields[3]
    assert dibao["candidates"][0] == {"element": "DIBAO_HH", "score": dibao["confidence"]}
    assert _count_reports(demo_app) == before


def test_plain_dry_run_prints_one_line_per_field(demo):
    path = REPORTS / "p7_minzheng_jiuzhu_monthly.xlsx"
    result = demo.invoke(args=["reports", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "社会救助对象月报（未保存）"
    assert len(lines) == 1 + len(TRUTH[path.name]["columns"])
    assert "→ [org_name]" in lines[1]
    assert "→ DIBAO_HH" in lines[2]


def test_import_stores_a_draft_and_prints_its_code(cli, library_app):
    path = REPORTS / "p7_minzheng_jiuzhu_monthly.xlsx"
    result = cli.invoke(args=["reports", "import", str(path), "--owner", "县民政局"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "社会救助对象月报（R0001）"
    assert _stored(library_app, "R0001") == {
        "title": "社会救助对象月报",
        "owner": "县民政局",
        "frequency": "monthly",
        "level": "village",
        "status": "draft",
        "source_format": "xlsx",
        "fields": _expected_meanings(path.name),
    }

    again = _json(
        cli.invoke(args=["reports", "import", str(path), "--owner", "县民政局", "--json"])
    )
    assert again["code"] == "R0002"
    assert _count_reports(library_app) == 2


def test_options_win_over_the_template(cli, library_app):
    path = REPORTS / "p5_minzheng_quarterly.xlsx"  # 季报, village columns
    args = ["--owner", "县统计局", "--frequency", "yearly", "--level", "township", "--json"]
    output = _json(cli.invoke(args=["reports", "import", str(path), *args]))
    assert (output["owner"], output["frequency"], output["level"]) == (
        "县统计局",
        "yearly",
        "township",
    )
    stored = _stored(library_app, output["code"])
    assert (stored["owner"], stored["frequency"], stored["level"]) == (
        "县统计局",
        "yearly",
        "township",
    )


def test_storing_without_an_owner_is_a_clear_error(cli, library_app):
    path = REPORTS / "p5_minzheng_quarterly.xlsx"
    result = cli.invoke(args=["reports", "import", str(path)])
    assert result.exit_code == 1
    assert "报表信息不完整，未导入" in result.output
    assert "owner: 请指定报表所属部门" in result.output
    assert _count_reports(library_app) == 0


def test_template_without_frequency_needs_the_option(cli, library_app, tmp_path):
    path = tmp_path / "village_basics.xlsx"
    path.write_bytes(
        workbook_bytes([["东岭镇村级基本情况统计表"], ["村名", "户籍人口（人）", "常住人口（人）"]])
    )
    result = cli.invoke(args=["reports", "import", str(path), "--owner", "县民政局"])
    assert result.exit_code == 1
    assert (
        "frequency: 无法从模板判断报送频次（标题中没有月报、季报、年报等字样），请指定："
        "monthly（月报）、quarterly（季报）、half_yearly（半年报）、yearly（年报）、one_off（一次性）"
    ) in result.output
    assert _count_reports(library_app) == 0
    dry = _json(cli.invoke(args=["reports", "import", str(path), "--dry-run", "--json"]))
    assert (dry["frequency"], dry["level"]) == (None, "village")
    stored = cli.invoke(
        args=["reports", "import", str(path), "--owner", "县民政局", "--frequency", "monthly"]
    )
    assert stored.exit_code == 0, stored.output
    assert _stored(library_app, "R0001")["frequency"] == "monthly"


def test_json_definition_round_trips(cli, library_app, tmp_path):
    path = REPORTS / "p8_nongye_quarterly.xlsx"
    printed = _json(cli.invoke(args=["reports", "import", str(path), "--dry-run", "--json"]))
    printed |= {"frequency": "quarterly", "level": "village", "owner": "县农业农村局"}
    definition = tmp_path / "nongye.json"
    definition.write_text(json.dumps(printed, ensure_ascii=False, indent=2), encoding="utf-8")

    output = _json(cli.invoke(args=["reports", "import", str(definition), "--json"]))
    assert output["code"] == "R0001"
    assert output["title"] == printed["title"]
    meanings = [
        (f["label"], f["section"], f["unit"], f["element"], f["role"]) for f in output["fields"]
    ]
    assert meanings == [
        (f["label"], f["section"], f["unit"], f["element"], f["role"]) for f in printed["fields"]
    ]
    assert all(field["confidence"] == 1.0 for field in output["fields"] if field["element"])
    stored = _stored(library_app, "R0001")
    assert (stored["owner"], stored["frequency"], stored["source_format"]) == (
        "县农业农村局",
        "quarterly",
        "json",
    )
    assert stored["fields"] == [(f["label"], f["element"], f["role"]) for f in printed["fields"]]


def test_json_definition_naming_an_unknown_element_is_refused(cli, library_app, tmp_path):
    definition = tmp_path / "bad.json"
    definition.write_text(
        json.dumps(
            {
                "title": "核查表",
                "frequency": "monthly",
                "level": "village",
                "owner": "县民政局",
                "fields": [{"label": "某数（人）", "element": "NO_SUCH"}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = cli.invoke(args=["reports", "import", str(definition)])
    assert result.exit_code == 1
    assert "报表信息有误，未导入" in result.output
    assert "某数（人）: 指标库中没有 NO_SUCH" in result.output
    assert _count_reports(library_app) == 0


def test_xlsform_imports(cli, library_app):
    path = XLSFORMS / "text_and_integer.xlsx"
    args = ["--owner", "县民政局", "--frequency", "monthly", "--level", "village", "--json"]
    output = _json(cli.invoke(args=["reports", "import", str(path), *args]))
    assert output["code"] == "R0001"
    assert output["fields"] and all(set(field) == FIELD_KEYS for field in output["fields"])
    stored = _stored(library_app, "R0001")
    assert stored["source_format"] == "xlsform"
    assert [label for label, _, _ in stored["fields"]] == [f["label"] for f in output["fields"]]


def test_every_sample_xlsform_is_imported_or_refused_in_chinese(demo):
    for path in sorted(XLSFORMS.glob("*.xlsx")):
        result = demo.invoke(
            args=["reports", "import", str(path), "--dry-run", "--json", "--frequency", "monthly"]
        )
        if result.exit_code == 0:
            assert json.loads(result.output)["fields"], path.name
        else:
            assert result.exit_code == 1, (path.name, result.output)
            assert "Traceback" not in result.output
            assert "未导入" in result.output, (path.name, result.output)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "notes.xlsx",
            b"just some text, not a workbook",
            "文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 格式后再上传",
        ),
        (
            "old.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "文件已加密或为旧版 .xls 格式，请另存为未加密的 .xlsx 后再上传",
        ),
        (
            "bad.json",
            b'{"title": "x", "fields": [',
            "报表定义不是有效的 JSON，未导入：第 1 行第 27 列附近有语法错误（Expecting value）。",
        ),
        (
            "no_header.xlsx",
            workbook_bytes([["东岭村基本情况月报"]]),
            "未找到表头行：模板中应有一行至少包含两个列标题，请检查模板后再上传",
        ),
        ("empty.xlsx", b"", "文件为空"),
    ],
)
def test_malformed_file_exits_1_with_the_chinese_message(
    cli, library_app, tmp_path, filename, content, message
):
    path = tmp_path / filename
    path.write_bytes(content)
    result = cli.invoke(args=["reports", "import", str(path), "--owner", "县民政局"])
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    assert "Traceback" not in result.output
    assert _count_reports(library_app) == 0
    with database(library_app).readers() as session:
        assert session.scalar(select(func.count(Department.id))) == 0


# ---------------------------------------------------------------- merge


def _merge(runner, *args: str) -> dict:
    return _json(runner.invoke(args=["merge", "--level", "village", *args, "--json"]))


def _element_fields_of(app, codes: set[str]) -> int:
    """How many fields of these reports' newest versions are mapped to an element."""
    with database(app).readers() as session:
        count = 0
        for report in session.scalars(select(Report).where(Report.code.in_(codes))):
            count += sum(1 for field in report.latest.fields if field.element is not None)
        return count


def test_merge_prints_the_spec_shape(demo, demo_app):
    output = _merge(demo, "--period", "2025-12")
    assert set(output) >= {"fields", "conflicts", "stats"}
    fields = output["fields"]
    for field in fields:
        assert {"key", "element", "period", "label", "unit", "reports"} <= set(field)
        assert field["reports"]
    assert len({field["key"] for field in fields}) == len(fields)
    assert {code for field in fields for code in field["reports"]} == VILLAGE_REPORTS
    stats = output["stats"]
    assert stats["report_fields"] == _element_fields_of(demo_app, VILLAGE_REPORTS)
    assert stats["merged_fields"] == len(fields)
    assert stats["report_fields"] > stats["merged_fields"]
    by_key = {field["key"]: field for field in fields}
    assert by_key["POP_REG"]["reports"] == ["R0001", "R0003", "R0007", "R0008"]
    assert (by_key["POP_REG"]["period"], by_key["POP_REG"]["unit"]) == ("2025-12", "人")


def test_merge_restricted_to_named_reports(demo, demo_app):
    output = _merge(demo, "--period", "2025-12", "--reports", "R0005,R0007")
    assert {code for field in output["fields"] for code in field["reports"]} == {"R0005", "R0007"}
    assert output["stats"]["report_fields"] == _element_fields_of(demo_app, {"R0005", "R0007"})
    by_key = {field["key"]: field for field in output["fields"]}
    assert by_key["DIBAO_HH"]["reports"] == ["R0005", "R0007"]
    assert "POP_RES" not in by_key


def test_merge_of_an_unknown_report_exits_1(demo):
    result = demo.invoke(
        args=["merge", "--level", "village", "--period", "2025-12", "--reports", "R0005,R9999"]
    )
    assert result.exit_code == 1
    assert "未找到报表：R9999" in result.output


def test_merge_of_a_bad_month_exits_1(demo):
    result = demo.invoke(args=["merge", "--level", "village", "--period", "2025-13", "--json"])
    assert result.exit_code == 1
    assert "无法识别的周期“2025-13”：月份应为 01–12" in result.output


def test_quarterly_reports_join_only_the_month_that_closes_the_quarter(demo):
    december = {f["key"]: f for f in _merge(demo, "--period", "2025-12")["fields"]}
    november = _merge(demo, "--period", "2025-11")
    assert december["ELDER_STATION"]["reports"] == ["R0005"]  # only the quarterly R0005 asks
    november_keys = {field["key"] for field in november["fields"]}
    assert "ELDER_STATION" not in november_keys
    november_reports = {code for field in november["fields"] for code in field["reports"]}
    assert november_reports == {"R0002", "R0007"}  # the monthly ones
    assert not november_reports & QUARTERLY_REPORTS


def test_plain_merge_prints_a_summary(demo):
    result = demo.invoke(args=["merge", "--level", "village", "--period", "2025-11"])
    assert result.exit_code == 0, result.output
    first, *rest = result.output.splitlines()
    assert first.startswith("2025-11：") and "个报表字段合并为" in first
    assert any(line.split()[0] == "DIBAO_P" and "R0007" in line for line in rest)


def test_version_rows_are_untouched_by_read_only_commands(demo, demo_app):
    with database(demo_app).readers() as session:
        before = session.scalar(select(func.count(ReportVersion.id)))
        fields = session.scalar(select(func.count(ReportField.id)))
    _merge(demo, "--period", "2025-12")
    demo.invoke(args=["reports", "import", str(REPORTS / "p1_jiaoyu_yearly.xlsx"), "--dry-run"])
    with database(demo_app).readers() as session:
        assert session.scalar(select(func.count(ReportVersion.id))) == before
        assert session.scalar(select(func.count(ReportField.id))) == fields
