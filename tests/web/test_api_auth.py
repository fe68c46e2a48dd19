from __future__ import annotations

from tests.helpers import login


def _token(runner, username: str) -> str:
    result = runner.invoke(args=["users", "token", username])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_me_with_a_bearer_token(client, runner):
    token = _token(runner, "filler")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["username"] == "filler"
    assert body["role"] == "filler"
    assert body["org_unit"] == "439901100201"


def test_me_for_a_reviewer_has_no_org_unit(client, runner):
    token = _token(runner, "reviewer")
    body = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body == {
        "username": "reviewer",
        "role": "reviewer",
        "org_unit": None,
        "display_name": "县数据局 审核员",
        "department": None,
    }


def test_forged_token_is_401_in_json(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer ro_forged"})
    assert response.status_code == 401
    assert response.get_json() == {"errors": {"auth": "请先登录或提供有效的访问令牌"}}


def test_no_credentials_is_401(client):
    assert client.get("/api/v1/me").status_code == 401


def test_token_for_unknown_user_is_a_clear_cli_error(runner):
    result = runner.invoke(args=["users", "token", "ghost"])
    assert result.exit_code == 1
    assert "用户不存在：ghost" in result.output


def test_browser_session_also_reaches_the_api(client):
    login(client, "owner")
    assert client.get("/api/v1/me").get_json()["role"] == "owner"


def test_openapi_document_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/me" in spec["paths"]
