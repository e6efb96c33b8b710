"""Every operation in the OpenAPI document names the error statuses it can answer with, each
with the one error schema. The rules follow where the statuses come from (error_docs.py):
the URL middleware (400, all), the authentication dependency and the API-wide limit (401,
429), the body limit (413), validation (422) and identifiers in the path (404)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from rapat.api.error_docs import DESCRIPTIONS, errors
from rapat.app import create_app
from rapat.config import Settings

ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as env:
        for name in [key for key in os.environ if key.startswith("RAPAT_")]:
            env.delenv(name)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            env="test",  # the /dev routes too
            secret_key="test-secret-key-0123456789abcdef0123456789",
            database_url="sqlite+aiosqlite:///:memory:",
            frontend_dir=tmp_path_factory.mktemp("dist"),
        )
        return create_app(settings).openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def statuses(operation: dict[str, Any]) -> set[int]:
    return {int(status) for status in operation["responses"]}


def missing(document: dict[str, Any], applies: Any, required: set[int]) -> dict[str, list[int]]:
    """Operations to which a rule applies, with the statuses they fail to document."""
    return {
        name: sorted(required - statuses(operation))
        for name, operation in operations(document)
        if applies(operation) and not required <= statuses(operation)
    }


def test_every_error_uses_the_error_schema(document: dict[str, Any]) -> None:
    wrong = [
        f"{name} {status}"
        for name, operation in operations(document)
        for status, response in operation["responses"].items()
        if int(status) >= 400
        and response.get("content", {}).get("application/json", {}).get("schema") != ERROR_SCHEMA
    ]
    assert wrong == []
    # FastAPI's own 422 schema is nowhere: the handler answers with the envelope instead.
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_every_operation_documents_a_nul_in_the_address(document: dict[str, Any]) -> None:
    assert missing(document, lambda _: True, {400}) == {}


def test_signed_in_operations_document_401_and_429(document: dict[str, Any]) -> None:
    signed_in = [name for name, operation in operations(document) if operation.get("security")]
    assert len(signed_in) > 30  # the rule is not vacuous
    assert missing(document, lambda operation: operation.get("security"), {401, 429}) == {}


def test_operations_with_a_body_document_413_and_422(document: dict[str, Any]) -> None:
    assert missing(document, lambda operation: "requestBody" in operation, {413, 422}) == {}


def test_operations_with_parameters_document_422(document: dict[str, Any]) -> None:
    assert missing(document, lambda operation: "parameters" in operation, {422}) == {}


def test_identifiers_in_the_path_document_404(document: dict[str, Any]) -> None:
    def names_something(operation: dict[str, Any]) -> bool:
        return any(parameter["in"] == "path" for parameter in operation.get("parameters", []))

    assert missing(document, names_something, {404}) == {}


def test_rate_limits_and_sign_in_document_their_headers(document: dict[str, Any]) -> None:
    for name, operation in operations(document):
        responses = operation["responses"]
        if "429" in responses:
            assert "Retry-After" in responses["429"]["headers"], name
        if "401" in responses:
            assert "WWW-Authenticate" in responses["401"]["headers"], name


def test_errors_refuses_a_status_it_cannot_describe() -> None:
    assert set(errors(*DESCRIPTIONS)) == set(DESCRIPTIONS)
    with pytest.raises(ValueError, match="418"):
        errors(404, 418)
