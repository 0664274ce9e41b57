"""Run a Lambda entry point from `functions/` on this machine with a sample event, as Lambda would call it.

The handler talks to whatever backend the settings select (local files, or AWS with credentials).
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_memory.domain.errors import InvalidInput

DEFAULT_TIMEOUT_SECONDS = 30.0


@dataclass
class LocalContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 1024
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "local"
    log_stream_name: str = "local"
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    _started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:local:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self._started)) * 1000))


def module_name(function: str) -> str:
    """`api/create_memory`, `api.create_memory`, `functions/api/create_memory.py` → `functions.api.create_memory`."""
    name = function.strip().removesuffix(".py").replace("/", ".").replace("\\", ".")
    name = name.removeprefix("functions.")
    if not name or not all(part.isidentifier() for part in name.split(".")):
        raise InvalidInput(f"{function!r} is not a function name such as api/create_memory or streams/indexer.")
    return f"functions.{name}"


def project_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `functions/`."""
    for folder in (start, *start.parents):
        if (folder / "functions" / "__init__.py").is_file():
            return folder
    raise InvalidInput(f"No functions/ folder at or above {start}; run from the project or pass --project.")


def load_handler(function: str, root: Path) -> Callable[[Any, Any], Any]:
    name = module_name(function)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and not (name == missing or name.startswith(missing + ".")):
            # The function exists; something it imports is not installed (Lambda functions need the aws extra).
            raise InvalidInput(
                f"{function} needs the module {missing!r}, which is not installed here."
                " Install the Lambda dependencies: pip install -e '.[aws]'."
            ) from exc
        available = sorted(
            str(p.relative_to(root / "functions").with_suffix("")) for p in (root / "functions").rglob("[!_]*.py")
        )
        raise InvalidInput(f"No function {function!r}. Available: {', '.join(available)}.") from exc
    handler = getattr(module, "handler", None)
    if not callable(handler):
        raise InvalidInput(f"{name} has no handler.")
    return handler  # type: ignore[no-any-return]


def read_event(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"Cannot read the event {path}: {exc.strerror}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"The event {path} is not JSON: {exc}.") from exc


def invoke(function: str, event: Any, root: Path) -> Any:
    handler = load_handler(function, root)
    return handler(event, LocalContext(function_name=module_name(function).rsplit(".", 1)[-1]))
