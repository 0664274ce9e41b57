"""The memory explorer in a real browser: Debian's Chromium driven by Playwright (never a browser Playwright
downloads), against a real `agent-memory serve` seeded over HTTP. One browser and one server per test module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serve_support import create_key, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TENANT = "explorer"
# `make screenshots` sets it to docs/ui: the tests then also photograph each view there (never on a plain run).
SCREENSHOTS = os.environ.get("AGENT_MEMORY_UI_SCREENSHOTS")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_browser() -> None:
    """In CI a missing browser is a failure (the install steps must bring it); elsewhere the tests say why they skip."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing: `make install-dev` installs Debian's chromium and chromium-driver"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing: run `make install-dev`"
    if problem is None:
        return
    if in_ci():
        pytest.fail(f"The browser tests cannot run: {problem}.", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One Chromium for the module, on a fresh profile; each test opens its own page (its own sessionStorage)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 860},
        )
        context.set_default_timeout(15_000)  # generous: CI runs the suite on two busy workers
        try:
            yield context
        finally:
            context.close()


@dataclass(frozen=True)
class Explorer:
    base_url: str
    key: str
    api: httpx.Client

    @property
    def page_url(self) -> str:
        return f"{self.base_url}/ui/"

    def remember(self, user_id: str, content: str, **fields: Any) -> dict[str, Any]:
        response = self.api.post("/v1/memories", json={"user_id": user_id, "content": content, **fields})
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture(scope="module")
def explorer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Explorer]:
    data_dir = tmp_path_factory.mktemp("explorer") / "data"
    key = create_key(data_dir, TENANT, "read,write,admin")
    with serving(data_dir) as base_url, httpx.Client(base_url=base_url, headers={"X-API-Key": key}) as api:
        yield Explorer(base_url, key, api)


def screenshot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
