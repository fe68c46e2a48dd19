from __future__ import annotations

import io

from tests.helpers import csrf_token, login


def test_reviewer_browses_the_tree_down_to_a_village(client):
    login(client, "reviewer")
    tree = client.get("/orgs/").get_data(as_text=True)
    assert "湖南省" in tree
    county = client.get("/orgs/439901000000").get_data(as_text=True)
    assert "东岭镇" in county and "白沙乡" in county and "下辖 3 个单位" in county
    village = client.get("/orgs/439901100201").get_data(as_text=True)
    assert "东岭村" in village and "示范县" in village


def test_filler_tree_goes_to_its_own_village(client):
    login(client, "filler")
    response = client.get("/orgs/")
    assert response.headers["Location"] == "/orgs/439901100201"


def test_township_filler_sees_its_villages_but_not_the_county(client):
    login(client, "township")
    assert client.get("/orgs/439901100202").status_code == 200
    assert client.get("/orgs/439901000000").status_code == 404


def _upload(client, content: bytes, filename: str = "orgs.csv"):
    token = csrf_token(client, "/orgs/import")
    return client.post(
        "/orgs/import",
        data={"csrf_token": token, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_reviewer_imports_a_csv_through_the_page(client):
    login(client, "reviewer")
    csv = "code,name,level,parent_code\n439901102203,莲花村,village,439901102000\n"
    response = _upload(client, csv.encode())
    assert response.status_code == 302
    assert "莲花村" in client.get("/orgs/439901102000").get_data(as_text=True)


def test_bad_csv_upload_lists_errors_and_imports_nothing(client):
    login(client, "reviewer")
    csv = (
        "code,name,level,parent_code\n439901102203,莲花村,village,439901102000\nabc,坏行,village,\n"
    )
    response = _upload(client, csv.encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "行政区划 CSV 有错误，未导入任何数据" in html
    assert "第3行：行政区划代码须为 12 位数字：&#39;abc&#39;" in html
    assert "莲花村" not in client.get("/orgs/439901102000").get_data(as_text=True)


def test_non_utf8_csv_is_a_clear_error(client):
    login(client, "reviewer")
    response = _upload(client, "code,name\n".encode("utf-16"))
    assert response.status_code == 422
    assert "文件编码须为 UTF-8" in response.get_data(as_text=True)


def test_wrong_file_type_is_refused(client):
    login(client, "reviewer")
    response = _upload(client, b"MZ\x90\x00", "tool.exe")
    assert response.status_code == 422
    assert "只能上传 .csv 文件" in response.get_data(as_text=True)
