"""The OpenAPI document names every schema plainly: two models of one name (a dialect's and /v1's) would be published
under module paths (`agent_memory__http__…`), which generated clients turn into unusable type names."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_given_every_router_mounted_then_no_schema_name_is_module_qualified(client: TestClient) -> None:
    names = client.get("/openapi.json").json()["components"]["schemas"]
    assert [name for name in names if "__" in name] == []
