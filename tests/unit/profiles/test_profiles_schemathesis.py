"""Schemathesis against the OpenAPI spec, with the token: no 5xx, whatever is sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from profiles_helpers import AUTH, Api
from schemathesis.checks import not_a_server_error


@pytest.fixture(scope="module")
def fuzz_api(seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    import shutil

    target = tmp_path_factory.mktemp("fuzz") / "profiles.db"
    shutil.copy(seeded_sqlite, target)
    client = Api(f"sqlite:///{target}")
    yield client
    client.close()


@pytest.fixture(scope="module")
def profiles_schema(fuzz_api: Api) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_api.app)


schema = schemathesis.pytest.from_fixture("profiles_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH, checks=[not_a_server_error])
