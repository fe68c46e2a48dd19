from __future__ import annotations

import io

from sqlalchemy import select

from forms_registry.elements.models import DataElement
from forms_registry.orgs.models import OrgUnit
from prefill.models import SharedValue
from tests.helpers import csrf_token, login


def _upload(client, content: bytes, filename: str = "hub.csv", source: str = "GA_HUJI"):
    token = csrf_token(client, "/shared/")
    return client.post(
        f"/shared/{source}/import",
        data={"csrf_token": token, f"{source}-file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _shared(db_session, org_code: str, period: str, element: str) -> SharedValue | None:
    return db_session.scalar(
        select(SharedValue)
        .join(OrgUnit, OrgUnit.id == SharedValue.org_unit_id)
        .join(DataElement, DataElement.id == SharedValue.element_id)
        .where(OrgUnit.code == org_code, SharedValue.period == period, DataElement.code == element)
    )


def test_reviewer_sees_sources_and_what_they_provide(client):
    login(client, "reviewer")
    html = client.get("/shared/").get_data(as_text=True)
    assert "公安户籍人口库" in html and "户籍人口（POP_REG）" in html


def test_csv_import_stores_values_with_their_source(client, db_session):
    login(client, "reviewer")
    csv = "org_code,period,POP_REG,户籍户数\n439901100201,2020-06,1234,456\n"
    response = _upload(client, csv.encode())
    assert response.status_code == 302
    value = _shared(db_session, "439901100201", "2020-06", "POP_REG")
    assert value.value == "1234" and value.source.code == "GA_HUJI"
    assert _shared(db_session, "439901100201", "2020-06", "HH_REG").value == "456"


def test_bad_cells_are_listed_and_nothing_is_stored(client, db_session):
    login(client, "reviewer")
    csv = "org_code,period,POP_REG\n439901100201,2020-06,1234\n439901100202,2020-06,十二\n999999999999,2020-06,5\n"
    response = _upload(client, csv.encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "共享数据有错误，未导入任何数据" in html
    assert "第3行 POP_REG：须为数字" in html
    assert "第4行：未知的行政区划代码 &#39;999999999999&#39;" in html
    assert _shared(db_session, "439901100201", "2020-06", "POP_REG") is None


def test_unknown_column_is_named(client):
    login(client, "reviewer")
    response = _upload(client, "org_code,period,不存在的指标\n439901100201,2020-06,1\n".encode())
    assert response.status_code == 422
    assert "表头中有指标库没有的列：不存在的指标" in response.get_data(as_text=True)


def test_not_a_spreadsheet_is_refused(client):
    login(client, "reviewer")
    response = _upload(client, b"MZ\x90\x00 not a workbook", "hub.xlsx")
    assert response.status_code == 422
    assert (
        "文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 格式后再上传"
        in response.get_data(as_text=True)
    )


def test_columns_of_another_source_are_refused(client, db_session):
    login(client, "reviewer")
    csv = "org_code,period,DIBAO_P\n439901100201,2020-06,12\n"
    response = _upload(client, csv.encode(), source="GA_HUJI")
    assert response.status_code == 422
    assert "以下列不由“公安户籍人口库”提供，未导入：DIBAO_P" in response.get_data(as_text=True)
    assert _shared(db_session, "439901100201", "2020-06", "DIBAO_P") is None


def _refresh(client, source: str = "GA_HUJI", period: str = "2020-06"):
    token = csrf_token(client, "/shared/")
    return client.post(
        f"/shared/{source}/refresh",
        data={
            "csrf_token": token,
            f"refresh-{source}-period": period,
            f"refresh-{source}-level": "village",
        },
    )


def test_refresh_from_the_hub_shows_progress_and_stores_values(app, client, db_session):
    from tests.prefill.hub_server import running_hub, values

    with running_hub() as hub:
        hub.default = values(hjrk=1500, hjhs=420)
        app.config["SHARED_HUB_URL"] = hub.url_template
        login(client, "reviewer")
        response = _refresh(client)
        assert response.status_code == 302
        page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已完成：" in page
    assert '<progress max="13" value="13">' in page
    assert "13 个行政区划的 26 个数据" in page
    assert _shared(db_session, "439901100201", "2020-06", "POP_REG").value == "1500"
    assert _shared(db_session, "439901102202", "2020-06", "HH_REG").value == "420"


def test_refresh_with_the_hub_down_fails_clearly_and_stores_nothing(app, client, db_session):
    from tests.prefill.hub_server import Reply, running_hub

    with running_hub() as hub:
        hub.default = Reply(503)
        app.config["SHARED_HUB_URL"] = hub.url_template
        app.config["SHARED_HUB_TIMEOUT"] = 0.3
        login(client, "reviewer")
        response = _refresh(client)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "更新失败：共享数据平台暂时无法访问（公安户籍人口库：HTTP 503），本次未更新任何数据，请稍后重试"
        in page
    )
    assert _shared(db_session, "439901100201", "2020-06", "POP_REG") is None


def test_refresh_without_a_configured_hub_says_so(client):
    login(client, "reviewer")
    response = _refresh(client)
    assert response.status_code == 409
    assert "未配置共享数据平台地址（SHARED_HUB_URL），只能通过文件导入" in response.get_data(
        as_text=True
    )
