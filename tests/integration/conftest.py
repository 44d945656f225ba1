"""Integration tests run only when asked for (``make test-integration``, i.e. ``pytest -m integration``).

They start a real model server and take minutes, so a plain ``pytest`` (``make test``) reports them as skipped
even on a machine where the ``[local]`` extra happens to be installed.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "integration" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="needs a real model server: run `make test-integration` (pytest -m integration)")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)
