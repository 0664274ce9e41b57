"""What the functions' layers hold: Powertools at one pinned release (the one the tests run), and a dependency layer
without a second copy of what the Powertools layer ships (pydantic and its family) or opensearch-py's unused gRPC
transport."""

from __future__ import annotations

import importlib.metadata as metadata
import subprocess
import sys
import textwrap
from pathlib import Path

from infra.constructs import bundling
from infra.constructs.bundling import NOT_SHIPPED, PRUNE, PipInstall
from infra.constructs.code import POWERTOOLS_PARAMETER, POWERTOOLS_VERSION
from packaging.requirements import Requirement

from tests.infra.conftest import Synthesized

ROOT = Path(__file__).resolve().parents[2]
GRPC_TRANSPORT = {"opensearch-protobufs", "grpcio", "protobuf"}


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def closure(name: str, extras: frozenset[str] = frozenset()) -> set[str]:
    """The distributions `name[extras]` installs, as its (installed) metadata says."""
    found: set[str] = set()
    pending = [(name, extras)]
    while pending:
        current, wanted = pending.pop()
        if canonical(current) in found:
            continue
        found.add(canonical(current))
        try:
            requirements = metadata.requires(current) or []
        except metadata.PackageNotFoundError:  # an extra of Powertools this machine does not have: a leaf here
            continue
        for line in requirements:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in {"", *wanted}):
                pending.append((requirement.name, frozenset(requirement.extras)))
    return found


def test_powertools_is_pinned_to_the_release_the_tests_run(dev: Synthesized) -> None:
    # Given the Powertools layer's SSM parameter; Then it names one release, not `latest`
    assert f"/aws/service/powertools/python/arm64/python3.14/{POWERTOOLS_VERSION}" == POWERTOOLS_PARAMETER
    assert metadata.version("aws-lambda-powertools") == POWERTOOLS_VERSION
    # And that is the parameter the template resolves at deploy time
    defaults = [p.get("Default") for p in dev.document["Parameters"].values()]
    assert POWERTOOLS_PARAMETER in defaults and not any(str(d).endswith("/latest") for d in defaults)


def test_the_dependency_layer_leaves_out_only_what_powertools_ships_and_the_grpc_transport() -> None:
    powertools = closure("aws-lambda-powertools", frozenset({"all"}))
    # What is left out is either in the Powertools layer, or opensearch-py's gRPC transport
    assert NOT_SHIPPED - powertools == GRPC_TRANSPORT
    assert {"pydantic", "pydantic-core", "pydantic-settings"} <= NOT_SHIPPED & powertools
    # And the gRPC transport is needed by nothing the layer ships but opensearch-py's protobuf definitions
    shipped = set().union(*(closure(r) for r in ("fastapi", "mangum", "numpy"))) - NOT_SHIPPED
    assert not shipped & GRPC_TRANSPORT


def test_the_layer_build_runs_pip_then_leaves_out_what_is_not_shipped(tmp_path: Path, monkeypatch) -> None:
    commands: list[list[str]] = []
    monkeypatch.setattr(bundling.subprocess, "run", lambda command, check: commands.append(command))
    requirements = ROOT / "infra" / "dependencies" / "requirements.txt"
    assert PipInstall(requirements).try_bundle(str(tmp_path), None) is True
    install, prune = commands
    assert install[:4] == [sys.executable, "-m", "pip", "install"] and str(requirements) in install
    assert prune[:3] == [sys.executable, str(PRUNE), str(tmp_path / "python")]
    assert set(prune[3:]) == NOT_SHIPPED
    listed = [line.split(">")[0].split("<")[0] for line in requirements.read_text().splitlines() if line[:1].isalpha()]
    assert not set(map(canonical, listed)) & NOT_SHIPPED, listed


def fake_distribution(target: Path, name: str, version: str, files: dict[str, str]) -> None:
    info = target / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    for path, text in files.items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_text(text)
    rows = [*files, f"{info.name}/METADATA", f"{info.name}/RECORD"]
    (info / "METADATA").write_text(f"Name: {name}\n")
    (info / "RECORD").write_text("".join(f"{row},,\n" for row in rows))


def test_prune_removes_exactly_the_files_of_the_named_distributions(tmp_path: Path) -> None:
    # Given a pip target folder with pydantic_core, pydantic and fastapi
    fake_distribution(tmp_path, "pydantic_core", "2.50.5", {"pydantic_core/__init__.py": "", "pydantic_core/x.so": ""})
    fake_distribution(tmp_path, "pydantic", "2.14.4", {"pydantic/__init__.py": "", "pydantic/v1/main.py": ""})
    fake_distribution(tmp_path, "fastapi", "0.165.0", {"fastapi/__init__.py": "", "fastapi/routing.py": ""})
    # When pruned of pydantic and pydantic-core (named as pip names them)
    result = subprocess.run(
        [sys.executable, str(PRUNE), str(tmp_path), "pydantic", "pydantic-core"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    # Then only fastapi is left, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fastapi", "fastapi-0.165.0.dist-info"]
    assert sorted(p.name for p in (tmp_path / "fastapi").iterdir()) == ["__init__.py", "routing.py"]
    assert "pydantic" in result.stdout


def test_the_opensearch_client_works_without_the_grpc_transport() -> None:
    # Given an interpreter where opensearch-py's gRPC dependencies cannot be imported (as in the layer)
    script = textwrap.dedent(
        """
        import importlib.abc, os, sys

        class Missing(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"grpc", "opensearch_protobufs"} or name.startswith("google.protobuf"):
                    raise ModuleNotFoundError(name)
                return None

        sys.meta_path.insert(0, Missing())
        os.environ.update(AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="y", AWS_DEFAULT_REGION="us-east-1")
        from agent_memory.adapters.aws.opensearch_index import client_for
        from opensearchpy.exceptions import AuthorizationException, NotFoundError, RequestError, TransportError

        client = client_for("https://abc.us-east-1.aoss.amazonaws.com", "us-east-1")
        print(type(client).__name__)
        """
    )
    # When the adapter builds its SigV4 client; Then it needs none of them
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OpenSearch"


def test_the_code_layer_leaves_out_the_memory_explorer_which_only_the_local_server_serves(tmp_path: Path) -> None:
    # When the layer's code is copied as its asset is built
    bundling.CopyTree(ROOT / "layers" / "agent_memory", "python/agent_memory").try_bundle(str(tmp_path), None)
    shipped = tmp_path / "python" / "agent_memory"
    # Then the explorer's pages stay behind, and everything the functions import is there
    assert not (shipped / "http" / "ui").exists()
    assert (shipped / "http" / "app.py").is_file() and (shipped / "http" / "ui_pages.py").is_file()
    assert not list(shipped.rglob("__pycache__"))
    # And the functions' app still imports from the copy
    script = "import agent_memory.http.app, agent_memory.entry.api"
    subprocess.run([sys.executable, "-c", script], check=True, env={"PYTHONPATH": str(tmp_path / "python")})
