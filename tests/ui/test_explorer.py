"""The memory explorer at /ui, used as a person would: in Chromium, against a real server holding seeded memories."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says what is missing (and fails in CI)
    expect = None

from tests.ui.conftest import Explorer, screenshot

pytestmark = pytest.mark.slow

ALICE = "alice"
MEMORIES = [  # content, topics, agent, importance
    ("Prefers window seats on long flights", ["travel"], None, 0.6),
    ("Her sister Chloe lives in Leeds", ["family"], "planner", 0.7),
    ("Vegetarian and allergic to peanuts", ["health"], None, 0.95),
    ("Works at Acme as a data engineer, mostly in Python", ["work"], None, 0.8),
    ("Runs a half marathon every spring", ["sport"], None, 0.5),
    ("Her dog Biscuit is a beagle", ["family"], None, 0.6),
    ("Learning Japanese for a trip to Kyoto next year", ["travel"], None, 0.55),
    ("Takes the train to work on Mondays", ["work"], None, 0.3),
    ("Likes green tea in the afternoon", ["food"], None, 0.35),
    ("Her birthday is on the 3rd of May", ["family"], None, 0.85),
    ("Uses PostgreSQL and dbt for the company's data warehouse", ["work"], "planner", 0.65),
]
# Markup and the highlight marker in content (another user's, to keep alice's pictures plain): the page must show
# it as text, never run or parse it.
PROBE_USER = "mallory"
PROBE = "Likes the <b>bold</b> tag <img src=x onerror=alert(1)> in **markdown** notes"
MOVED_FROM = "Lives in Lyon"
MOVED_TO = "Lives in Berlin since March"


@pytest.fixture(scope="module")
def seeded(explorer: Explorer) -> dict[str, Any]:
    """Alice's memories (one corrected, so it has a history), one of Bob's, the markup probe, and a finished
    optimize operation."""
    for content, topics, agent, importance in MEMORIES:
        extra = {"agent_id": agent} if agent else {}
        explorer.remember(ALICE, content, topics=topics, importance=importance, **extra)
    explorer.remember(PROBE_USER, PROBE, topics=["web"])
    moved = explorer.remember(ALICE, MOVED_FROM, topics=["home"])
    patched = explorer.api.patch(f"/v1/memories/{moved['id']}", json={"user_id": ALICE, "content": MOVED_TO})
    assert patched.status_code == 200, patched.text
    explorer.remember("bob", "Bob only drinks black coffee", topics=["food"])
    operation = explorer.api.post("/v1/jobs/optimize", json={"user_id": ALICE, "dry_run": True}).json()
    for _ in range(200):  # the local worker finishes a dry run of a dozen memories in well under a second
        status = explorer.api.get(f"/v1/operations/{operation['operation_id']}").json()["status"]
        if status in ("succeeded", "failed"):
            break
        time.sleep(0.05)
    return {"moved": moved["id"], "operation": operation["operation_id"], "total": len(MEMORIES) + 1}


@pytest.fixture
def page(browser: Any, explorer: Explorer) -> Iterator[Any]:
    """A new tab (its own sessionStorage); the page's console errors about its CSP fail the test."""
    tab = browser.new_page()
    violations: list[str] = []
    tab.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        yield tab
    finally:
        tab.close()
    assert not violations, violations


def log_in(page: Any, explorer: Explorer, key: str | None = None, user: str = ALICE) -> None:
    page.goto(explorer.page_url)
    page.fill("input[name=key]", key or explorer.key)
    page.fill("input[name=user]", user)
    page.click("#login-form button[type=submit]")


def logged_in(page: Any, explorer: Explorer) -> None:
    log_in(page, explorer)
    page.wait_for_selector("#memories-list tbody tr")


def shown(first: int, last: int, total: int | None = None) -> str:
    """The list's summary line (its range with an en dash), or its start when the total does not matter."""
    line = f"Memories {first}\N{EN DASH}{last} of"
    return line if total is None else f"{line} {total}"


def storage(page: Any, kind: str) -> dict[str, str]:
    return dict(json.loads(page.evaluate(f"JSON.stringify(Object.assign({{}}, {kind}))")))


def row_with(page: Any, text: str) -> Any:
    return page.locator("#memories-list tbody tr", has_text=text)


def test_given_the_local_server_when_the_explorer_opens_then_it_asks_for_a_key_for_its_own_origin(
    page: Any, explorer: Explorer
) -> None:
    response = page.goto(explorer.base_url + "/ui")

    assert response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("#login-form").is_visible()
    assert page.input_value("input[name=base]") == explorer.base_url
    assert page.locator("#app").is_hidden()
    screenshot(page, "login")


def test_given_a_wrong_key_when_logging_in_then_a_clear_message_shows_and_nothing_is_kept(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    log_in(page, explorer, key="am_not-a-real-key")

    message = page.locator("#message")
    message.wait_for()
    assert "Missing or invalid API key (401, unauthenticated)" in message.inner_text()
    assert "Check the API key" in message.inner_text()
    assert page.locator("#login-form").is_visible()
    assert storage(page, "sessionStorage") == {}


def test_given_a_valid_key_when_logged_in_then_the_key_lives_in_session_storage_only_until_log_out(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)

    assert storage(page, "sessionStorage")["agent-memory.api-key"] == explorer.key
    assert explorer.key not in json.dumps(storage(page, "localStorage"))
    assert not [c for c in page.context.cookies() if explorer.key in c["value"]]

    page.click("#logout")

    assert page.locator("#login-form").is_visible()
    assert storage(page, "sessionStorage") == {}


def test_given_memories_when_listing_then_they_show_newest_first_and_page_with_the_cursor(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)

    assert page.inner_text("#memories-summary") == shown(1, seeded["total"], seeded["total"])
    assert page.locator("#memories-list tbody tr").first.inner_text().count(MOVED_TO) == 1
    screenshot(page, "memories")

    page.select_option("#memories-filter select[name=limit]", "10")
    page.click("#memories-filter button[type=submit]")
    page.wait_for_selector(f"text={shown(1, 10)}")
    page.click("#memories-next")
    page.wait_for_selector(f"text={shown(11, seeded['total'], seeded['total'])}")
    assert page.locator("#memories-list tbody tr").count() == seeded["total"] - 10
    assert page.locator("#memories-next").is_disabled()

    page.click("#memories-prev")

    page.wait_for_selector(f"text={shown(1, 10)}")


def test_given_filters_when_listing_then_only_matching_memories_show(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)

    page.fill("#memories-filter input[name=topic]", "family")
    page.fill("#memories-filter input[name=agent_id]", "planner")
    page.click("#memories-filter button[type=submit]")

    page.wait_for_selector(f"text={shown(1, 1, 1)}")
    assert "Her sister Chloe lives in Leeds" in page.inner_text("#memories-list tbody")


def test_given_a_bad_filter_when_listing_then_the_problem_reads_as_a_sentence(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)

    page.fill("#memories-filter input[name=cluster_id]", "not-a-cluster")
    page.click("#memories-filter button[type=submit]")

    message = page.locator("#message.error")
    message.wait_for()
    assert message.inner_text().startswith("Invalid input (422, invalid_input): ")


def test_given_a_query_when_searching_then_matches_are_marked_and_markup_stays_text(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)
    page.click("nav button[data-view=search]")

    page.fill("#search-form input[name=q]", "window seat")
    page.click("#search-form button[type=submit]")

    first = page.locator("#search-results li").first
    first.wait_for()
    assert first.locator("mark").first.inner_text() == "window seats"
    assert "Prefers window seats on long flights" in first.inner_text()
    screenshot(page, "search")

    page.fill("#user-id", PROBE_USER)
    page.click("#user-form button[type=submit]")
    page.fill("#search-form input[name=q]", "bold markdown")
    page.click("#search-form button[type=submit]")

    hit = page.locator("#search-results li", has_text="<img src=x")
    hit.wait_for()
    assert [m.inner_text() for m in hit.locator("mark").all()] == ["bold", "markdown"]
    assert hit.locator("img, b").count() == 0
    assert "<b>bold</b>" in hit.inner_text()
    assert "in **markdown** notes" in hit.inner_text(), "the content's own asterisks are text, not markers"


def test_given_a_corrected_memory_when_opened_then_its_history_shows_both_versions(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)

    row_with(page, MOVED_TO).locator("button.link").click()

    history = page.locator("#detail .history li")
    history.nth(1).wait_for()
    versions = [item.inner_text() for item in history.all()]
    assert any(v.startswith("v1 created") and MOVED_FROM in v for v in versions), versions
    assert any(v.startswith("v2 updated") and MOVED_TO in v and MOVED_FROM in v for v in versions), versions
    assert page.locator("#detail del", has_text=MOVED_FROM).count() == 1
    screenshot(page, "memory")


def test_given_memories_when_viewing_clusters_and_topics_then_both_render_and_lead_to_memories(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)

    page.click("nav button[data-view=clusters]")

    page.locator("#clusters-list .cluster").first.wait_for()
    assert page.locator("#clusters-list .cluster").count() >= 2
    assert page.locator("#topics-list svg .bar").count() >= 5
    screenshot(page, "clusters")

    page.locator("#topics-list button", has_text="work").click()

    page.wait_for_selector(f"text={shown(1, 3, 3)}")
    assert page.input_value("#memories-filter input[name=topic]") == "work"


def test_given_related_memories_when_viewing_the_graph_then_nodes_edges_and_relations_render(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)

    page.click("nav button[data-view=graph]")

    page.locator("#graph-drawing svg .node").first.wait_for()
    assert page.locator("#graph-drawing svg .node").count() >= 3
    assert page.locator("#graph-drawing svg .edge").count() >= 2
    assert "Chloe — lives_in → Leeds" in page.inner_text("#graph-relations")
    screenshot(page, "graph")

    page.locator("#graph-drawing svg .node[data-id='place:leeds']").click()

    nodes = page.locator("#graph-drawing svg .node")
    expect(nodes).to_have_count(2)  # Leeds and who lives there: the neighbourhood one relation deep
    assert {node.get_attribute("data-id") for node in nodes.all()} == {"place:leeds", "person:chloe"}
    assert page.input_value("#graph-form input[name=entity]") == "place:leeds"


def test_given_memories_when_viewing_stats_then_figures_and_bar_charts_render(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)

    page.click("nav button[data-view=stats]")

    page.locator("#stats-figures .figure").first.wait_for()
    assert (
        page.locator("#stats-figures .figure", has_text="memories").first.inner_text().startswith(str(seeded["total"]))
    )
    assert page.locator("#stats-charts figure").count() == 5
    assert page.locator("#stats-charts figure", has_text="By topic").locator(".bar rect").count() >= 5
    screenshot(page, "stats")


def test_given_a_job_when_viewing_operations_then_its_progress_is_read_again_until_it_finishes(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)
    # The job has finished already: its first reading is answered as if it were still running.
    real = explorer.api.get(f"/v1/operations/{seeded['operation']}").json()
    running = {**real, "status": "running", "progress": {**real["progress"], "phase_number": 1, "done": 1}}
    readings: list[str] = []

    def answer(route: Any) -> None:
        readings.append(route.request.url)
        if len(readings) == 1:
            route.fulfill(status=200, content_type="application/json", body=json.dumps(running))
        else:
            route.continue_()

    page.route(f"**/v1/operations/{seeded['operation']}", answer)
    page.click("nav button[data-view=operations]")
    page.locator("#operations-list tbody tr").first.wait_for()
    assert "optimize" in page.inner_text("#operations-list")

    page.locator(f"#operations-list tr[data-id='{seeded['operation']}'] button").click()

    page.locator("#operation-detail .status", has_text="running").wait_for()
    assert page.locator("#operation-detail progress").count() == 1
    page.locator("#operation-detail .status", has_text="succeeded").wait_for()
    assert len(readings) >= 2
    screenshot(page, "operations")


def test_given_a_memory_when_deleting_then_it_goes_only_once_the_dialog_is_accepted(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    doomed = explorer.remember(ALICE, "Used to collect stamps as a child", topics=["hobby"])
    logged_in(page, explorer)
    row = row_with(page, "Used to collect stamps")

    row.locator("button.danger").click()
    page.locator("#confirm").wait_for()
    screenshot(page, "delete")
    page.click("#confirm-cancel")

    assert page.locator("#confirm").is_hidden()
    assert row.count() == 1
    assert explorer.api.get(f"/v1/memories/{doomed['id']}", params={"user_id": ALICE}).status_code == 200

    row.locator("button.danger").click()
    page.click("#confirm-accept")

    page.locator("#message.info", has_text="deleted").wait_for()
    expect(row).to_have_count(0)
    assert explorer.api.get(f"/v1/memories/{doomed['id']}", params={"user_id": ALICE}).status_code == 404


def test_given_another_user_id_when_picked_then_that_users_memories_show(
    page: Any, explorer: Explorer, seeded: dict[str, Any]
) -> None:
    logged_in(page, explorer)

    page.fill("#user-id", "bob")
    page.click("#user-form button[type=submit]")

    page.wait_for_selector(f"text={shown(1, 1, 1)}")
    assert "Bob only drinks black coffee" in page.inner_text("#memories-list")
    assert storage(page, "sessionStorage")["agent-memory.user-id"] == "bob"
