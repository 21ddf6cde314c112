"""Issue 7's walk-through: drag a Choice, a Pass and a Fail from the palette, connect them, see the
validator's problem go away, give the Choice two rules, save a version, edit, view the diff on the
graph and export YAML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ARTIFACTS
from .test_designer import sign_up

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def centre(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box, selector
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_handle(page, source: str, target: str) -> None:
    page.mouse.move(*centre(page, source))
    page.mouse.down()
    x, y = centre(page, target)
    page.mouse.move(x, y, steps=12)
    page.mouse.up()


def drop(page, item: str, x: float, y: float) -> None:
    pane = page.locator(".react-flow__pane")
    page.locator(f"[data-testid='palette-{item}']").drag_to(pane, target_position={"x": x, "y": y})
    page.locator(f"[data-testid='state-{item}']").wait_for()


def state(name: str) -> str:
    return f"[data-testid='state-{name}']"


def test_choice_flow_with_rules_versions_diff_and_yaml_export(live_server, new_page, shot):
    page = new_page()
    sign_up(page, live_server.url, "grace")
    page.get_by_role("button", name="New workflow").click()
    page.fill("input[name=workflow-name]", "Approvals")
    page.get_by_role("button", name="Create").click()
    page.locator(state("Start")).wait_for()

    box = page.locator(".react-flow__pane").bounding_box()
    # away from the Start transition in the middle (a drop onto a transition inserts into it)
    drop(page, "Choice", box["width"] * 0.15, 60)
    drop(page, "Pass", box["width"] * 0.85, 60)
    drop(page, "Fail", box["width"] * 0.15, box["height"] * 0.6)
    page.get_by_role("button", name="Auto-layout").click()
    page.wait_for_timeout(500)

    problems = page.locator("[data-testid='problems']")
    problems.get_by_text("UNREACHABLE_STATE").first.wait_for()
    shot(page, "01-unconnected")

    # Start → Choice; the Choice's rule handle twice: Pass and Fail
    drag_handle(page, f"{state('Start')} [data-handleid='next']", f"{state('Choice')} [data-handleid='in']")
    drag_handle(page, f"{state('Choice')} [data-handleid='choice']", f"{state('Pass')} [data-handleid='in']")
    drag_handle(page, f"{state('Choice')} [data-handleid='choice']", f"{state('Fail')} [data-handleid='in']")
    page.wait_for_function("() => document.querySelectorAll('.react-flow__edge.edge-choice').length === 2")
    problems.get_by_text("No problems found.").wait_for()
    shot(page, "02-connected")

    # the rule builder: the second rule tests a number
    page.locator(state("Choice")).click()
    rules = page.locator("[data-testid='choice-rules'] .rule")
    assert rules.count() == 2
    second = rules.nth(1)
    second.get_by_label("Variable").fill("$.amount")
    second.get_by_label("Operator").select_option("NumericGreaterThan")
    second.get_by_label("Value").fill("1000")
    page.wait_for_function(
        "() => document.querySelector('.cm-content')?.innerText.includes('\"NumericGreaterThan\": 1000')"
    )
    page.get_by_text("All changes saved").wait_for()
    shot(page, "03-rules")

    page.get_by_role("button", name="Save version").click()
    page.fill("#version-message", "Choice with two rules")
    page.locator("form.popover").get_by_role("button", name="Save").click()
    page.get_by_text("Saved version 1").wait_for()

    # edit: rename the Fail state; every transition follows
    page.locator(state("Fail")).click()
    page.fill("#state-name", "Rejected")
    page.press("#state-name", "Enter")
    page.locator(state("Rejected")).wait_for()
    assert '"Next": "Rejected"' in page.locator(".cm-content").inner_text()
    page.get_by_text("All changes saved").wait_for()

    page.get_by_role("button", name="Versions").click()
    page.get_by_role("button", name="Compare").click()
    diff = page.locator("[data-testid='diff']")
    diff.get_by_text("Rejected").first.wait_for()
    assert page.locator(f"{state('Rejected')}.diff-added").count() == 1
    shot(page, "04-diff")
    page.get_by_role("button", name="Close versions").click()

    # drop a Wait onto the Start → Choice transition: it goes in between
    point = page.wait_for_function(
        """(id) => {
          const p = document.querySelector(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`);
          if (!p) return null;
          const q = p.getPointAtLength(p.getTotalLength() / 2), m = p.getScreenCTM();
          return {x: q.x * m.a + q.y * m.c + m.e, y: q.x * m.b + q.y * m.d + m.f};
        }""",
        arg="/States/Start->next",
    ).json_value()
    pane = page.locator(".react-flow__pane").bounding_box()
    drop(page, "Wait", point["x"] - pane["x"], point["y"] - pane["y"])
    code = page.locator(".cm-content").inner_text()
    assert '"Next": "Wait"' in code and '"Next": "Choice"' in code
    shot(page, "05-inserted-on-edge")

    # export YAML
    page.get_by_role("button", name="YAML").click()
    page.wait_for_function("() => document.querySelector('.cm-content')?.innerText.includes('StartAt: Start')")
    page.get_by_role("button", name="Download").click()
    with page.expect_download() as download:
        page.get_by_role("menuitem", name="Definition (YAML, as written)").click()
    path = download.value.path()
    assert re.search(r"\.asl\.yaml$", download.value.suggested_filename)
    text = Path(path).read_text(encoding="utf-8")
    assert "NumericGreaterThan: 1000" in text and "Next: Rejected" in text
    shot(page, "06-yaml")
    page.get_by_role("button", name="Download").click()
    with page.expect_download() as picture:
        page.get_by_role("menuitem", name="Graph as PNG").click()
    assert picture.value.suggested_filename == "Approvals.png"
    assert Path(picture.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    picture.value.save_as(str(ARTIFACTS / "choice-flow-graph.png"))

    # every format of the export API, e.g. a SAM template
    page.get_by_role("button", name="Download").click()
    with page.expect_download() as template:
        page.get_by_role("menuitem", name="SAM template").click()
    sam = Path(template.value.path()).read_text(encoding="utf-8")
    assert "AWS::Serverless::StateMachine" in sam and "Rejected" in sam
    # keyboard-friendly connecting: the inspector's Next
    page.locator(state("Start")).click()
    page.locator("#field-Next").select_option("Pass")
    page.wait_for_function(
        "() => document.querySelector('.cm-content')?.innerText.includes('Start:\\n    Type: Pass\\n    Next: Pass')"
    )
    page.locator("#field-Next").select_option("")
    page.wait_for_function(
        "() => document.querySelector('.cm-content')?.innerText.includes('Start:\\n    Type: Pass\\n    End: true')"
    )
    assert page.errors == []
