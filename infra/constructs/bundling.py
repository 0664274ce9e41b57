"""Lambda assets built on this machine, without Docker: a copied source tree, and wheels for the Lambda platform."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import BundlingOptions, DockerImage, ILocalBundling

from infra.config import PYTHON_VERSION

ROOT = Path(__file__).resolve().parents[2]
PRUNE = ROOT / "infra" / "dependencies" / "prune.py"
# Installed by pip as dependencies of the requirements, but not shipped in the dependency layer.
NOT_SHIPPED = frozenset(
    {
        # In the Powertools layer (aws-lambda-powertools[all]), extracted into the same /opt/python: one copy of
        # each, so the two layers never overwrite each other's files with another version's.
        "pydantic",
        "pydantic-core",
        "pydantic-settings",
        "python-dotenv",
        "typing-extensions",
        "typing-inspection",
        "annotated-types",
        # opensearch-py 3's gRPC transport: the adapter speaks HTTP (Urllib3HttpConnection) and never imports it.
        "opensearch-protobufs",
        "grpcio",
        "protobuf",
    }
)
# Only used if local bundling were to fail: the same steps in the SAM build image.
FALLBACK_IMAGE = f"public.ecr.aws/sam/build-python{PYTHON_VERSION}:latest-arm64"
_CACHES = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")
# The memory explorer's pages: served by the local server only, never by a function.
LOCAL_ONLY = (Path("http") / "ui",)


def ignored(root: Path) -> Any:
    """What a copy of `root` leaves out: caches, and the folders under it that only the local server uses."""
    local_only = {root / folder for folder in LOCAL_ONLY}

    def ignore(directory: str, names: list[str]) -> set[str]:
        return set(_CACHES(directory, names)) | {name for name in names if Path(directory) / name in local_only}

    return ignore


@jsii.implements(ILocalBundling)
class CopyTree:
    """Copies `source` to `<asset>/<target>`: e.g. layers/agent_memory → python/agent_memory for a layer."""

    def __init__(self, source: Path, target: str) -> None:
        self._source = source
        self._target = target

    def try_bundle(self, output_dir: str, options: Any) -> bool:
        shutil.copytree(self._source, Path(output_dir) / self._target, ignore=ignored(self._source), dirs_exist_ok=True)
        return True


@jsii.implements(ILocalBundling)
class PipInstall:
    """Installs a requirements file into `<asset>/python` from wheels built for Lambda on arm64, without what
    `NOT_SHIPPED` names."""

    def __init__(self, requirements: Path) -> None:
        self._requirements = requirements

    def try_bundle(self, output_dir: str, options: Any) -> bool:
        target = Path(output_dir) / "python"
        command = [
            sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--requirement", str(self._requirements),
            "--target", str(target),
            # Lambda's Python runtimes run on Amazon Linux 2023 (glibc 2.34): these wheel tags all load there.
            "--platform", "manylinux2014_aarch64",
            "--platform", "manylinux_2_28_aarch64",
            "--implementation", "cp",
            "--python-version", PYTHON_VERSION,
            "--only-binary=:all:",
        ]  # fmt: skip
        subprocess.run(command, check=True)
        subprocess.run([sys.executable, str(PRUNE), str(target), *sorted(NOT_SHIPPED)], check=True)
        return True


def copy_tree(source: Path, target: str) -> BundlingOptions:
    return BundlingOptions(
        image=DockerImage.from_registry(FALLBACK_IMAGE),
        command=[
            "bash",
            "-c",
            f"mkdir -p /asset-output/{target} && cp -r /asset-input/. /asset-output/{target}"
            + "".join(f" && rm -rf /asset-output/{target}/{folder}" for folder in LOCAL_ONLY),
        ],
        local=CopyTree(source, target),
    )


def pip_install(requirements: Path) -> BundlingOptions:
    """`requirements` sits beside prune.py (the asset folder is theirs)."""
    not_shipped = " ".join(sorted(NOT_SHIPPED))
    install = f"pip install -r /asset-input/{requirements.name} -t /asset-output/python"
    return BundlingOptions(
        image=DockerImage.from_registry(FALLBACK_IMAGE),
        command=["bash", "-c", f"{install} && python /asset-input/{PRUNE.name} /asset-output/python {not_shipped}"],
        local=PipInstall(requirements),
    )
