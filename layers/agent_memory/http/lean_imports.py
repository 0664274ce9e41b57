"""Imported by the Lambda API entry point module before any route is built.

FastAPI probes every route's annotations for pydantic.v1 models (which it no longer accepts) by importing
pydantic.v1: ~80 ms of a cold start for a module nothing here uses. Marking it absent makes the probe answer "no" at
once. The local server does not import this module.
"""

import sys

sys.modules.setdefault("pydantic.v1", None)  # type: ignore[arg-type]
