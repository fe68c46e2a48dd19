"""The hub adapter against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from forms_registry.errors import DomainError, InvalidInput
from prefill.hub import HubSettings, HubUnavailable, check_values, fetch
from prefill.models import SharedSource
from tests.prefill.hub_server import Reply, refused_port, running_hub, values

VILLAGE = "439901100201"
DOWN = "共享数据平台暂时无法访问（公安户籍人口库：{}），本次未更新任何数据，请稍后重试"


@pytest.fixture
def hub():
    with running_hub() as server:
        yield server


def settings_for(hub, **overrides) -> HubSettings:
    return HubSettings(
        hub.url_template, **{"timeout": 0.3, "retries": 2, "backoff": 0.01, **overrides}
    )


def fetch_huji(settings: HubSettings, org: str = VILLAGE) -> dict[str, object]:
    return fetch(settings, "GA_HUJI", org, "2025-03", source_name="公安户籍人口库")


def test_a_normal_answer_gives_the_values_with_every_digit(hub):
    hub.script(VILLAGE, values(POP_REG=1234, HH_REG="456", RATE=93.50))
    assert fetch_huji(settings_for(hub)) == {
        "POP_REG": 1234,
        "HH_REG": "456",
        "RATE": Decimal("93.50"),
    }
    assert hub.requests == [f"/hub/GA_HUJI/{VILLAGE}/2025-03"]


def test_a_404_means_no_data_for_that_org_and_period(hub):
    hub.script(VILLAGE, Reply(404, {"error": "not found"}))
    assert fetch_huji(settings_for(hub)) == {}
    assert len(hub.requests) == 1


def test_a_503_is_retried_until_the_hub_answers(hub):
    hub.script(VILLAGE, Reply(503), Reply(503), values(POP_REG=10))
    assert fetch_huji(settings_for(hub)) == {"POP_REG": 10}
    assert len(hub.requests) == 3


def test_a_hub_that_stays_down_raises_a_clear_message(hub):
    hub.script(VILLAGE, Reply(503))
    with pytest.raises(HubUnavailable) as raised:
        fetch_huji(settings_for(hub))
    assert raised.value.message == DOWN.format("HTTP 503")
    assert raised.value.details == {"行政区划代码": VILLAGE, "尝试次数": "3"}
    assert isinstance(raised.value, DomainError)
    assert len(hub.requests) == 3


def test_a_slow_hub_times_out_and_is_retried(hub):
    hub.script(VILLAGE, Reply(200, {"values": {"POP_REG": 1}}, delay=2.0))
    started = time.monotonic()
    with pytest.raises(HubUnavailable) as raised:
        fetch_huji(settings_for(hub, retries=1))
    assert raised.value.message == DOWN.format("连接超时")
    assert len(hub.requests) == 2
    assert time.monotonic() - started < 1.5


def test_a_slow_first_answer_then_a_quick_one_succeeds(hub):
    hub.script(VILLAGE, Reply(200, {"values": {"POP_REG": 1}}, delay=2.0), values(POP_REG=2))
    assert fetch_huji(settings_for(hub)) == {"POP_REG": 2}


def test_a_refused_connection_names_the_reason():
    with refused_port() as port:
        settings = HubSettings(
            f"http://127.0.0.1:{port}/hub/{{source}}/{{org}}/{{period}}",
            timeout=0.3,
            retries=1,
            backoff=0,
        )
        with pytest.raises(HubUnavailable) as raised:
            fetch_huji(settings)
    assert raised.value.message == DOWN.format("连接被拒绝")


def test_a_4xx_other_than_404_is_not_retried(hub):
    hub.script(VILLAGE, Reply(403, {"error": "forbidden"}))
    with pytest.raises(HubUnavailable) as raised:
        fetch_huji(settings_for(hub))
    assert raised.value.message == (
        "共享数据平台拒绝了请求（公安户籍人口库：HTTP 403），本次未更新任何数据，"
        "请检查接口地址和权限"
    )
    assert len(hub.requests) == 1


def test_malformed_json_names_the_org(hub):
    hub.script(VILLAGE, Reply(200, b'{"values": {"POP_REG": 12'))
    with pytest.raises(InvalidInput) as raised:
        fetch_huji(settings_for(hub))
    assert raised.value.message == (
        f"共享数据平台返回的不是有效的 JSON（公安户籍人口库，{VILLAGE}），本次未更新任何数据"
    )
    assert len(hub.requests) == 1


@pytest.mark.parametrize("body", [{"POP_REG": 12}, {"values": [12]}, [1, 2]])
def test_json_without_a_values_object_is_refused(hub, body):
    hub.script(VILLAGE, Reply(200, body))
    with pytest.raises(InvalidInput) as raised:
        fetch_huji(settings_for(hub))
    assert raised.value.message == (
        f'共享数据平台返回的数据格式不对（公安户籍人口库，{VILLAGE}）：应为 {{"values": {{…}}}}，'
        "本次未更新任何数据"
    )


def test_the_url_quotes_what_it_fills_in(hub):
    fetch(settings_for(hub), "GA HUJI", "a/b", "2025-03")
    assert hub.requests == ["/hub/GA%20HUJI/a%2Fb/2025-03"]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("file:///etc/{org}", "共享数据平台地址须以 http:// 或 https:// 开头"),
        (
            "http://hub/{source}/{year}",
            "共享数据平台地址模板只能含 {source}、{org}、{period}：{year}",
        ),
        ("http://hub/{}", "共享数据平台地址模板只能含 {source}、{org}、{period}：{}"),
        ("http://hub/{source", "共享数据平台地址模板的花括号不成对"),
    ],
)
def test_settings_refuse_bad_templates(template, message):
    with pytest.raises(InvalidInput) as raised:
        HubSettings(template)
    assert raised.value.message == message


def _source(session, code: str) -> SharedSource:
    return session.scalar(select(SharedSource).where(SharedSource.code == code))


def test_check_values_keeps_bound_elements_and_counts_the_rest(db_session):
    source = _source(db_session, "GA_HUJI")
    checked = check_values(
        source,
        VILLAGE,
        "2025-03",
        {"POP_REG": Decimal("1200"), "hjhs": "350", "DIBAO_P": 3, "UNKNOWN": 1, "X": None},
    )
    assert sorted((r.element, r.value) for r in checked.records) == [
        ("HH_REG", "350"),
        ("POP_REG", "1200"),
    ]
    assert {(r.org_code, r.period) for r in checked.records} == {(VILLAGE, "2025-03")}
    assert checked.ignored == 3


def test_check_values_skips_nulls(db_session):
    checked = check_values(_source(db_session, "GA_HUJI"), VILLAGE, "2025-03", {"POP_REG": None})
    assert checked.records == [] and checked.ignored == 0


def test_check_values_names_the_org_and_each_bad_element(db_session):
    with pytest.raises(InvalidInput) as raised:
        check_values(
            _source(db_session, "GA_HUJI"),
            VILLAGE,
            "2025-03",
            {"POP_REG": "12.5", "HH_REG": -3},
        )
    assert raised.value.message == (
        f"共享数据平台返回的数据有误（公安户籍人口库，{VILLAGE}：POP_REG（户籍人口）须为整数；"
        "HH_REG（户籍户数）不能小于 0），本次未更新任何数据"
    )


def test_check_values_refuses_an_element_given_twice(db_session):
    with pytest.raises(InvalidInput, match="POP_REG（户籍人口）重复出现"):
        check_values(_source(db_session, "GA_HUJI"), VILLAGE, "2025-03", {"POP_REG": 1, "hjrk": 2})
