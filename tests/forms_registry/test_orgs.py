from __future__ import annotations

import pytest
from sqlalchemy import select

from forms_registry.errors import InvalidInput, NotFound
from forms_registry.orgs.models import OrgUnit
from forms_registry.orgs.service import ancestors, get_org, import_org_csv

GOOD_CSV = """code,name,level,parent_code
449901201001,新村,village,449901201000
449900000000,测试市,city,
449901000000,测试县,county,449900000000
449901201000,测试镇,township,449901000000
"""


def test_import_builds_the_tree_whatever_the_row_order(db_session):
    assert import_org_csv(db_session, GOOD_CSV) == 4
    village = get_org(db_session, "449901201001")
    assert village.parent.code == "449901201000"
    assert [org.name for org in ancestors(village)] == ["测试市", "测试县", "测试镇"]


def test_import_accepts_chinese_headers_and_levels(db_session):
    text = "\ufeff代码,名称,层级,上级代码\n449900000000,测试市,市,\n449901000000,测试县,县,449900000000\n"
    assert import_org_csv(db_session, text) == 2
    assert get_org(db_session, "449901000000").level == "county"


def test_reimport_updates_names_without_duplicates(db_session):
    import_org_csv(db_session, GOOD_CSV)
    import_org_csv(db_session, GOOD_CSV.replace("新村", "新村（改名）"))
    assert get_org(db_session, "449901201001").name == "新村（改名）"
    count = len(db_session.scalars(select(OrgUnit).where(OrgUnit.code.like("4499%"))).all())
    assert count == 4


def test_bad_rows_are_all_reported_and_nothing_is_imported(db_session):
    text = "code,name,level,parent_code\n12345,短码村,village,\n449900000000,,city,\n449900000001,某地,planet,\n"
    with pytest.raises(InvalidInput) as caught:
        import_org_csv(db_session, text)
    assert caught.value.message == "行政区划 CSV 有错误，未导入任何数据"
    assert caught.value.details == {
        "第2行": "行政区划代码须为 12 位数字：'12345'",
        "第3行": "名称不能为空",
        "第4行": "未知层级：'planet'",
    }
    assert db_session.scalar(select(OrgUnit).where(OrgUnit.code == "449900000000")) is None


def test_missing_columns_are_named(db_session):
    with pytest.raises(InvalidInput) as caught:
        import_org_csv(db_session, "code,title\n1,2\n")
    assert caught.value.message == "CSV 缺少列：name、level（需要 code,name,level,parent_code）"


def test_unknown_parent_is_not_found(db_session):
    with pytest.raises(NotFound):
        import_org_csv(
            db_session, "code,name,level,parent_code\n449901201001,新村,village,449901201000\n"
        )


def test_level_must_sit_under_the_right_parent(db_session):
    text = "code,name,level,parent_code\n449900000000,测试市,city,\n449900000101,跳级村,village,449900000000\n"
    with pytest.raises(InvalidInput, match="层级不符"):
        import_org_csv(db_session, text)


def test_the_demo_county_has_enough_units(db_session):
    county = get_org(db_session, "439901000000")
    townships = county.children
    villages = [village for township in townships for village in township.children]
    assert len(townships) >= 3
    assert len(villages) >= 12
