"""The explorer's files as the local server ships and serves them: with its Content-Security-Policy, outside the
OpenAPI document, absent from Lambda functions, in the installed package, and written without an HTML sink."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from agent_memory.http.app import create_app
from agent_memory.http.routers import health
from agent_memory.http.ui_pages import CONTENT_SECURITY_POLICY, ui_directory

ROOT = Path(__file__).resolve().parents[2]
UI = Path(ui_directory())
FILES = sorted(path for path in UI.iterdir() if path.is_file())
SCRIPTS = [path for path in FILES if path.suffix == ".js"]
# What would parse data as HTML or code: the page builds every node from text instead.
SINKS = (
    "innerHTML",
    "outerHTML",
    "insertAdjacentHTML",
    "document.write",
    "eval(",
    "new Function",
    'setAttribute("style',
)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(lambda: None))  # type: ignore[arg-type,return-value]  # no API call is made


def test_given_the_local_server_when_the_explorer_is_asked_for_then_it_answers_with_its_security_headers(
    client: TestClient,
) -> None:
    redirect = client.get("/ui", follow_redirects=False)
    page = client.get("/ui/")

    assert redirect.status_code in (307, 308) and redirect.headers["location"].endswith("/ui/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "connect-src 'self'" in policy and "default-src 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"


def test_given_the_page_when_its_modules_are_followed_then_each_is_served_as_javascript(client: TestClient) -> None:
    html = client.get("/ui/").text
    pending = re.findall(r'(?:src|href)="([\w./-]+\.(?:js|css))"', html)
    seen: set[str] = set()
    while pending:
        name = pending.pop().removeprefix("./")
        if name in seen:
            continue
        seen.add(name)
        response = client.get(f"/ui/{name}")
        assert response.status_code == 200, name
        assert "content-security-policy" in response.headers
        if name.endswith(".js"):
            assert "javascript" in response.headers["content-type"], name  # module scripts need a JS media type
            pending += re.findall(r'from "\./([\w.-]+\.js)"', response.text)
    assert seen == {path.name for path in FILES} - {"index.html"}, "every shipped file is used, and only those"


def test_given_the_explorer_when_the_openapi_document_is_built_then_it_is_not_in_it(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert not [path for path in paths if path.startswith("/ui")]


def test_given_a_lambda_function_app_when_asked_for_the_explorer_then_it_does_not_serve_it() -> None:
    function_app = TestClient(create_app(lambda: None, [health.router], openapi=False))  # type: ignore[arg-type,return-value]

    assert function_app.get("/ui/").status_code == 404


def test_given_the_package_data_setting_when_the_package_is_built_then_every_explorer_file_is_in_it() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    patterns = settings["agent_memory.http"]

    missing = [path.name for path in FILES if not any(fnmatch.fnmatch(f"ui/{path.name}", p) for p in patterns)]

    assert not missing, f"add them to [tool.setuptools.package-data]: {missing}"


def test_given_the_page_when_read_then_it_has_no_inline_script_style_or_handler() -> None:
    html = (UI / "index.html").read_text()

    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html))
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html)


@pytest.mark.parametrize("path", SCRIPTS, ids=[path.name for path in SCRIPTS])
def test_given_a_module_when_read_then_it_has_no_html_sink_no_remote_origin_and_a_modest_size(path: Path) -> None:
    source = path.read_text()

    assert not [sink for sink in SINKS if sink in source]
    assert not re.findall(r"https?://(?!www\.w3\.org/2000/svg)", source), "nothing may load from another origin"
    assert len(source.splitlines()) <= 200
