"""A schema-based fuzzer over every REST operation: Schemathesis reads the app's own
`/openapi.json`, makes requests that fit it (also ones that break it, and ones naming
things that exist: fuzz_resources.py), sends them to
the running app on PostgreSQL as a signed-in user, and checks each answer: never a 5xx,
only documented statuses, bodies and headers as documented.

Kept short and repeatable: a fixed number of examples per operation, derandomized (the
same requests on every run), no example database.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case, GenerationMode
from schemathesis.python.asgi import ASGIClient, shutdown_lifespans
from schemathesis.schemas import BaseSchema

from rapat.app import create_app
from rapat.storage import migrate
from tests.conftest import POSTGRES_ADMIN_DSN, _asyncpg_to_sqlalchemy
from tests.integration.accounts_helpers import SignedIn, login, sign_up
from tests.integration.app_fixtures import make_settings
from tests.integration.fuzz_resources import LOOPBACK_HOOK, existing_identifiers

EXAMPLES_PER_OPERATION = 10
# The three runs of an operation: fitting data, breaking data, fitting data naming real things.
POSITIVE, NEGATIVE, EXISTING = "positive", "negative", "existing"
COMMITTED_DOCUMENT = Path(__file__).resolve().parents[3] / "frontend/src/api/openapi.json"

# What every answer must be: no server error, and status, content type, headers and body
# as documented.
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]


@dataclass
class FuzzTarget:
    schema: BaseSchema
    client: ASGIClient
    me: SignedIn

    def token_for(self, case: Case) -> str:
        if (case.method, case.path) == ("POST", "/api/v1/auth/logout"):
            # Its own sign-in: logging out must not sign the fuzzer out.
            return login(self.api, self.me.email).access_token
        return self.me.access_token

    @property
    def api(self) -> Any:
        return self.client  # the helpers take a TestClient; the calls are the same


async def _admin(sql: str) -> None:
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(sql)
    finally:
        await admin.close()


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    """One app on one fresh PostgreSQL database for every operation (a database each would
    cost more than the fuzzing), started once and stopped at the end."""
    name = f"rapat_test_{uuid4().hex[:16]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    database_url = _asyncpg_to_sqlalchemy(POSTGRES_ADMIN_DSN, name)
    try:
        with pytest.MonkeyPatch.context() as env:
            for variable in [key for key in os.environ if key.startswith("RAPAT_")]:
                env.delenv(variable)
            migrate.upgrade(database_url)
            settings = make_settings(
                tmp_path_factory.mktemp("fuzz"), database_url, webhook_allow_private=True
            )
            app = create_app(settings)
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        with ASGIClient(app) as client:
            yield FuzzTarget(schema, client, sign_up(client, "fuzz"))  # type: ignore[arg-type]
    finally:
        shutdown_lifespans()
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _documented_operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of each operation in the committed document, for test
    ids; a test below holds the list to the running app's own document."""
    document = json.loads(COMMITTED_DOCUMENT.read_text(encoding="utf-8"))
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _fuzz_runs() -> list[Any]:
    """For every operation, data that fits its schema; for each that takes input, data that
    breaks it too; for each with path parameters, also fitting data naming real things."""
    runs = []
    for method, path, operation in _documented_operations():
        name = f"{method} {path}"
        runs.append(pytest.param(method, path, POSITIVE, id=name))
        if "parameters" in operation or "requestBody" in operation:
            runs.append(pytest.param(method, path, NEGATIVE, id=f"{name} invalid"))
        if "{" in path:
            runs.append(pytest.param(method, path, EXISTING, id=f"{name} existing"))
    return runs


def test_fuzzed_operations_are_the_apps(fuzz_target: FuzzTarget) -> None:
    live = {
        (operation.method.upper(), operation.path)
        for operation in (result.ok() for result in fuzz_target.schema.get_all_operations())
    }
    committed = {(method, path) for method, path, _ in _documented_operations()}
    assert live == committed, "run `npm run api:types` in frontend/"


def _send(case: Case, target: FuzzTarget) -> None:
    webhook = (case.method, case.path) == ("POST", "/api/v1/webhooks")
    if webhook and isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
        case.body["url"] = LOOPBACK_HOOK  # deliveries stay on this machine
    headers = {"Authorization": f"Bearer {target.token_for(case)}"}
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.parametrize(("method", "path", "run"), _fuzz_runs())
def test_operation_answers_as_documented(
    method: str, path: str, run: str, fuzz_target: FuzzTarget
) -> None:
    operation = fuzz_target.schema[path][method]
    if run == EXISTING:
        names = existing_identifiers(fuzz_target.api, fuzz_target.me)
        fixed = {key: value for key, value in names.items() if "{" + key + "}" in path}
        strategy = operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed)
    else:
        strategy = operation.as_strategy(GenerationMode(run))

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Case) -> None:
        _send(case, fuzz_target)

    fuzz()
