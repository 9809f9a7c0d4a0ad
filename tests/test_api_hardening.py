"""Bad input under /api/: deep nesting, malformed UUIDs, oversized bodies, server errors —
always the JSON error envelope, never HTML and never a 500 for the caller's mistake."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.api.middleware import json_errors_under_api
from opennrm.api.parsers import MAX_DEPTH, too_deep
from opennrm.cases.models import Case
from tests.conftest import logged_in


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def error_of(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 100_000])
@pytest.mark.parametrize(
    "url", ["/api/v1/htcds/", "/api/v1/screenings/", "/api/v1/cases/{case}/referrals/"]
)
def test_deeply_nested_json_answers_400_envelope(
    caseworker: User, shevchenko_case: Case, url: str, depth: int
) -> None:
    url = url.format(case=shevchenko_case.id)
    client = api(caseworker)
    client.raise_request_exception = False
    response = client.post(url, nested(depth), content_type="application/json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "parse_error"
    assert error["message"] == "JSON вкладено надто глибоко."
    assert Case.objects.count() == 1


def test_nesting_within_the_limit_is_parsed(caseworker: User) -> None:
    # Depth MAX_DEPTH parses; the endpoint then refuses the shape (not a parse error).
    response = api(caseworker).post(
        "/api/v1/htcds/", nested(MAX_DEPTH), content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] != "parse_error"


def test_depth_check_is_iterative_and_exact() -> None:
    value: Any = []
    for _ in range(50_000):
        value = [value]
    assert too_deep(value)
    assert not too_deep([[{"a": [1]}]], limit=4)
    assert too_deep([[{"a": [[]]}]], limit=4)


def test_web_form_posts_are_unaffected_by_the_api_handling(caseworker: User) -> None:
    client = logged_in(caseworker)
    response = client.post("/cases/new/", {"first_name": "[" * 1000})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    missing = client.get("/cases/not-a-uuid/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases/not-a-uuid/",
        "/api/v1/cases/00000000-0000-0000-0000-00000000000g/",
        "/api/v1/nothing-here/",
        "/api/",
    ],
)
def test_unresolved_api_urls_answer_json_404(caseworker: User, url: str) -> None:
    response = api(caseworker).get(url)
    assert response.status_code == 404
    assert error_of(response) == {"code": "not_found", "message": "Не знайдено."}


def test_unresolved_api_url_is_json_for_anonymous_callers_too(db: Any) -> None:
    response = Client().get("/api/v1/cases/not-a-uuid/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_unencodable_query_under_api_answers_json_400(caseworker: User) -> None:
    response = api(caseworker).get("/api/v1/cases/?q=%ED%A0%80")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_oversized_body_answers_json_413_and_stores_nothing(caseworker: User) -> None:
    client = api(caseworker)
    client.raise_request_exception = False
    body = '{"records": [' + ",".join(['{"prs_FirstName": "x"}'] * 100) + "]}"
    assert len(body) > 1000
    response = client.post("/api/v1/htcds/", body, content_type="application/json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"
    assert Case.objects.count() == 0


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_oversized_form_body_under_api_answers_json(caseworker: User) -> None:
    client = api(caseworker)
    client.raise_request_exception = False
    response = client.post("/api/v1/htcds/", {"field": "x" * 2000})
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"


def test_server_error_under_api_is_json_and_elsewhere_untouched() -> None:
    factory = RequestFactory()

    def html_500(request: Any) -> Any:
        from django.http import HttpResponseServerError

        return HttpResponseServerError("<h1>Server Error (500)</h1>")

    handler = json_errors_under_api(html_500)
    response = handler(factory.get("/api/v1/cases/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["code"] == "server_error"
    web = handler(factory.get("/cases/"))
    assert web.status_code == 500
    assert web.content == b"<h1>Server Error (500)</h1>"


def test_json_errors_pass_through_unchanged(caseworker: User) -> None:
    response = Client(headers={"Authorization": "Bearer onrm_nope"}).get("/api/v1/cases/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Bearer"
