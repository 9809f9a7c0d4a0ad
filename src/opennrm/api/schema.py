"""Post-processing of the OpenAPI schema (drf-spectacular): what every operation can answer.

- Every operation documents the error envelope (`api/errors.py`, `api/middleware.py`) for
  400, 401, 403, 404, 409, 413 and 429: a malformed id or a hidden object is a 404, a refused
  field a 400, a missing or bad token a 401, a permission a 403, an illegal transition a 409,
  a body too large a 413, a throttled search a 429; all JSON in the one envelope.
- A list that the view paginates (`CasePagination`: its `get` returns
  `get_paginated_response`) is documented as the page it is: `{count, next, previous,
  results: [...]}` instead of a bare array.

`tests/test_api_contract.py` (schemathesis) holds the schema to what the API answers.
"""

from __future__ import annotations

import inspect
from typing import Any

ERROR_STATUSES = {
    "400": "Invalid request: the fields refused are named under `fields`.",
    "401": "No valid bearer token (or session).",
    "403": "The object is visible but the permission is missing.",
    "404": "Not found, or not visible to the caller (the same answer).",
    "409": "The action is not possible in the object's current state.",
    "413": "The request body is too large.",
    "429": "Too many requests (name searches are throttled).",
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
            },
            "additionalProperties": True,
        }
    },
}
ERROR_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}


def _paginated(items: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "results": items,
        },
    }


def _paginates(view: Any) -> bool:
    """Whether the view's GET answers a page of CasePagination."""
    view_class = getattr(view, "cls", None) or type(view)  # the endpoint's callback or a view
    handler = getattr(view_class, "get", None)
    if handler is None:
        return False
    try:
        source = inspect.getsource(handler)
    except (OSError, TypeError):
        return False
    return "get_paginated_response" in source


def document_errors_and_pages(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["ErrorEnvelope"] = ERROR_SCHEMA
    paginated = {
        path
        for path, _regex, method, view in getattr(generator, "endpoints", None) or []
        if method == "GET" and _paginates(view)
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, description in ERROR_STATUSES.items():
                answer = responses.setdefault(status, {"description": description})
                answer.setdefault("content", {"application/json": {"schema": ERROR_REF}})
            if method == "get" and path in paginated:
                ok = responses.get("200", {}).get("content", {}).get("application/json", {})
                schema = ok.get("schema")
                if isinstance(schema, dict) and schema.get("type") == "array":
                    ok["schema"] = _paginated(schema)
    return result
