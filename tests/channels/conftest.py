"""A light app (no model loaded: these tests never draft) on a fresh SQLite file, with a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.main import create_app
from app.services import Services
from tests.delivery.peers import INBOUND_SECRET, light_services


@pytest.fixture
def light(tmp_path: Path, clock: ManualClock) -> Iterator[Services]:
    services = light_services(tmp_path, clock, inbound_webhook_secret=INBOUND_SECRET, webform_enabled=True)
    yield services
    services.close()


@pytest.fixture
def api(light: Services) -> Iterator[TestClient]:
    with TestClient(create_app(light.settings, light, run_worker=False)) as client:
        yield client


def case_of(client: TestClient, token: str, case_id: int) -> Any:
    response = client.get(f"/v1/cases/{case_id}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()
