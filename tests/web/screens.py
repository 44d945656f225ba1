"""Screenshots a reviewer can open: every console page at 1,280 × 800 and 1,920 × 1,080, into var/screenshots/
(created by ``make test``; kept out of git with the rest of var/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.config import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 1920, "height": 1080})


def sized(page: Any) -> Iterator[dict[str, int]]:
    """Resize the page to each viewport in turn."""
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        yield viewport


def shoot(page: Any, name: str) -> Path:
    size = page.viewport_size
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    return path


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
