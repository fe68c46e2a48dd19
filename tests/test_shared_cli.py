"""`reportonce shared list|import|refresh` on the demo world, rolled back after each test;
refreshes ask a real hub on 127.0.0.1."""

from __future__ import annotations

import io

import click._termui_impl
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from forms_registry.orgs.models import OrgUnit
from prefill.models import SharedSource, SharedValue
from tests.prefill.hub_server import Reply, refused_port, running_hub, values

PERIOD = "2020-01"  # the demo has no shared values this far back
A, B = "439901100201", "439901100202"


@pytest.fixture
def hub():
    with running_hub() as server:
        yield server


def stored(session, period: str = PERIOD) -> dict[tuple[str, str], str]:
    rows = session.execute(
        select(OrgUnit.code, SharedValue)
        .join(OrgUnit, OrgUnit.id == SharedValue.org_unit_id)
        .where(SharedValue.period == period)
    )
    return {(code, value.element.code): value.value for code, value in rows}


def refresh_args(template: str, *extra: str) -> list[str]:
    return [
        "shared",
        "refresh",
        "GA_HUJI",
        "--period",
        PERIOD,
        "--url",
        template,
        "--timeout",
        "0.3",
        "--retries",
        "1",
        *extra,
    ]


def test_list_shows_sources_bindings_and_counts(runner, db_session):
    huji = db_session.scalar(select(SharedSource).where(SharedSource.code == "GA_HUJI"))
    count = db_session.scalar(
        select(func.count(SharedValue.id)).where(SharedValue.source_id == huji.id)
    )
    result = runner.invoke(args=["shared", "list"])
    assert result.exit_code == 0, result.output
    assert f"GA_HUJI  公安户籍人口库  已有 {count} 个数据" in result.output
    assert "  POP_REG          户籍人口（源字段 hjrk）" in result.output
    for code in ("MZ_JIUZHU", "RS_SHEBAO", "TY_JUNREN", "DIBAO_P", "VETERANS"):
        assert code in result.output


def test_import_a_csv(runner, db_session, tmp_path):
    path = tmp_path / "huji.csv"
    path.write_text(
        f"行政区划代码,期别,POP_REG,户籍户数\n{A},{PERIOD},1200,350\n{B},{PERIOD},980,\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["shared", "import", "ga_huji", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == "已导入 3 个数据（公安户籍人口库）\n"
    assert stored(db_session) == {
        (A, "POP_REG"): "1200",
        (A, "HH_REG"): "350",
        (B, "POP_REG"): "980",
    }


def test_import_an_xlsx(runner, db_session, tmp_path):
    workbook = Workbook()
    workbook.active.append(["org_code", "period", "VETERANS"])
    workbook.active.append([A, PERIOD, 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "junren.xlsx"
    path.write_bytes(buffer.getvalue())
    result = runner.invoke(args=["shared", "import", "TY_JUNREN", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == "已导入 1 个数据（退役军人信息系统）\n"
    assert stored(db_session) == {(A, "VETERANS"): "12"}


def test_an_invalid_csv_imports_nothing(runner, db_session, tmp_path):
    path = tmp_path / "huji.csv"
    path.write_text(
        f"org_code,period,POP_REG\n123,{PERIOD},5\n{A},{PERIOD},12.5\n{B},{PERIOD},7\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["shared", "import", "GA_HUJI", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: 共享数据有错误，未导入任何数据\n"
        "  第2行: 未知的行政区划代码 '123'\n"
        "  第3行 POP_REG: 须为整数\n"
    )
    assert stored(db_session) == {}


def test_import_into_an_unknown_source(runner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(f"org_code,period,POP_REG\n{A},{PERIOD},5\n", encoding="utf-8")
    result = runner.invoke(args=["shared", "import", "NOPE", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: 没有编码为 NOPE 的共享数据源（可用 reportonce shared list 查看）\n"
    )


def test_refresh_named_orgs_from_the_hub(runner, db_session, hub):
    hub.script(A, values(POP_REG=1200, hjhs=350, DIBAO_P=3))
    hub.script(B, values(POP_REG=980))
    result = runner.invoke(args=refresh_args(hub.url_template, "--org", A, "--org", B))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "正在获取公安户籍人口库\n"
        "已从共享数据平台更新 2 个行政区划的 3 个数据（忽略 1 个未绑定的指标值）\n"
    )
    assert stored(db_session) == {
        (A, "POP_REG"): "1200",
        (A, "HH_REG"): "350",
        (B, "POP_REG"): "980",
    }


def test_refresh_every_village_with_a_progress_bar(runner, db_session, hub, monkeypatch):
    monkeypatch.setattr(click._termui_impl, "isatty", lambda _file: True)  # draw the bar
    hub.default = values(POP_REG=5)
    villages = db_session.scalar(select(func.count(OrgUnit.id)).where(OrgUnit.level == "village"))
    result = runner.invoke(args=refresh_args(hub.url_template))
    assert result.exit_code == 0, result.output
    assert (
        f"正在获取公安户籍人口库  [####################################]  {villages}/{villages}"
        in (result.output)
    )
    assert result.output.endswith(
        f"已从共享数据平台更新 {villages} 个行政区划的 {villages} 个数据\n"
    )
    assert len(hub.requests) == villages
    assert set(stored(db_session).values()) == {"5"}


def test_refresh_with_the_hub_down_stores_nothing(runner, db_session, hub):
    hub.default = values(POP_REG=5)
    hub.script(B, Reply(503))
    result = runner.invoke(args=refresh_args(hub.url_template))
    assert result.exit_code == 1
    assert result.output.endswith(
        "Error: 共享数据平台暂时无法访问（公安户籍人口库：HTTP 503），本次未更新任何数据，请稍后重试\n"
        f"  行政区划代码: {B}\n"
        "  尝试次数: 2\n"
    )
    assert stored(db_session) == {}


def test_refresh_with_nothing_listening(runner, db_session):
    with refused_port() as port:
        template = f"http://127.0.0.1:{port}/{{source}}/{{org}}/{{period}}"
        result = runner.invoke(args=refresh_args(template, "--org", A))
    assert result.exit_code == 1
    assert "Error: 共享数据平台暂时无法访问（公安户籍人口库：连接被拒绝），本次未更新任何数据" in (
        result.output
    )
    assert stored(db_session) == {}


def test_refresh_refuses_a_bad_url(runner):
    result = runner.invoke(args=refresh_args("ftp://hub/{org}", "--org", A))
    assert result.exit_code == 1
    assert result.output == "Error: 共享数据平台地址须以 http:// 或 https:// 开头\n"
