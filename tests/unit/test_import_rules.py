"""The layering rules of the house, checked on every module's imports (including imports inside functions).

domain ← ports ← services ← http / entry, with adapters implementing ports: services never reach an adapter or HTTP,
adapters never call services or receive events, and only the composition root and the entry points see everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "layers" / "agent_memory"

# Layer → the agent_memory layers it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "ports": {"domain"},
    "services": {"domain", "ports"},
    "adapters": {"domain", "ports", "contract", "config"},
    "http": {"domain", "services", "contract", "runtime", "config"},
    "entry": {"domain", "ports", "services", "adapters", "http", "contract", "runtime", "config", "observability"},
    "contract": {"config", "domain"},
    "config": set(),
    "observability": {"contract"},
    # A client of the HTTP API (through agent_memory_client), so none of the service's layers.
    "mcp_server": set(),
}


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        found.append((".".join(relative.parts).removesuffix(".__init__"), path))
    return found


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.startswith("agent_memory.")}


RULED = [(module, path) for module, path in modules() if layer_of(module) in ALLOWED]


@pytest.mark.parametrize(("module", "path"), RULED, ids=[module for module, _ in RULED])
def test_each_module_imports_only_what_its_layer_may(module: str, path: Path) -> None:
    own = layer_of(module)
    wrong = sorted(
        name
        for name in imports_of(path)
        if layer_of(name) != own and layer_of(name) not in ALLOWED[own] and layer_of(name) in _LAYERS
    )
    assert not wrong, f"{module} ({own}) imports {wrong}"


_LAYERS = {layer_of(module) for module, _ in modules()}


def test_every_package_of_the_library_has_a_rule_or_is_a_known_root() -> None:
    # A new package must say where it sits; these top-level modules are roots or tools that may import anything.
    roots = {"runtime", "backends", "cli", "invoke", "bench", "__init__", ""}
    assert _LAYERS - set(ALLOWED) <= roots, _LAYERS - set(ALLOWED)


def test_no_module_grows_past_four_hundred_lines() -> None:
    long = {module: n for module, path in modules() if (n := len(path.read_text().splitlines())) > 400}
    assert not long, long
