"""Each API function's catalog entry (its route and the IAM its role is built from) matches the router it mounts:
a route that moves, or starts writing, cannot keep a stale path or a read-only role."""

from __future__ import annotations

import importlib
import inspect

import pytest
from fastapi.routing import APIRoute
from infra.catalog import API_FUNCTIONS, ApiFunction

from agent_memory.domain.models import Scope
from agent_memory.http import deps


def the_route(function: ApiFunction) -> APIRoute:
    module = importlib.import_module(f"functions.api.{function.name}")
    routes = [route for route in module.router.routes if isinstance(route, APIRoute)]
    assert len(routes) == 1, f"{function.module} must mount exactly one route"
    return routes[0]


def calls(route: APIRoute) -> set[object]:
    found: set[object] = set()
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        found.add(dependency.call)
        pending.extend(dependency.dependencies)
    return found


def scopes_required(route: APIRoute) -> set[Scope]:
    required = set()
    for call in calls(route):
        closure = inspect.getclosurevars(call).nonlocals if inspect.isfunction(call) else {}
        if isinstance(closure.get("scope"), Scope):
            required.add(closure["scope"])
    return required


def services_used(route: APIRoute) -> set[str]:
    """The runtime services a route's dependencies provide (http/deps.py `service(name)`)."""
    closures = (inspect.getclosurevars(call).nonlocals for call in calls(route) if inspect.isfunction(call))
    return {str(closure["name"]) for closure in closures if closure.keys() == {"name"}}


def query_names(route: APIRoute) -> set[str]:
    return {param.name for param in route.dependant.query_params}


@pytest.mark.parametrize("function", API_FUNCTIONS, ids=[f.name for f in API_FUNCTIONS])
def test_the_catalog_names_the_route_its_function_mounts(function: ApiFunction) -> None:
    route = the_route(function)
    assert route.methods == {function.method}
    assert route.path == function.path


@pytest.mark.parametrize("function", API_FUNCTIONS, ids=[f.name for f in API_FUNCTIONS])
def test_the_catalog_grants_what_the_route_needs(function: ApiFunction) -> None:
    route = the_route(function)
    needs_key = deps.get_principal in calls(route)
    assert function.public == (not needs_key), "public means no API key, and only then"
    if scopes_required(route) & {Scope.WRITE, Scope.ADMIN}:
        assert function.writes, "a route that needs the write or admin scope changes the table"
    assert function.signs_cursors == ("cursor" in query_names(route)), "cursors are signed where they are read"
    starts = ("operations" in services_used(route) and function.method == "POST") or route.path == "/v1/users/{user_id}"
    assert function.starts_jobs == starts, "jobs are started by the routes that start operations, and by erasure"
