"""/docs and /redoc work on a machine with no network: every asset they load is served by the app itself."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from agent_memory.http.app import create_app


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_given_no_network_when_the_docs_page_loads_then_every_asset_is_local_and_served(page) -> None:
    client = TestClient(create_app(lambda: None))
    html = client.get(page)
    assert html.status_code == 200
    assert not re.search(r"https?://", html.text), "the page must not load anything from another host"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 1_000 or asset.endswith(".png"), asset
    spec = "/openapi.json"
    assert spec in html.text and client.get(spec).status_code == 200
