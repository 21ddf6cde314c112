"""A new user signs up, creates a workflow, drags a Pass from the palette, sees the code follow,
saves a version; a teammate with the viewer role sees it read-only."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model

from designer import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-Long-pass-phrase-42"


def sign_up(page, base: str, username: str) -> None:
    page.goto(base + "/")
    page.wait_for_url(re.compile(r"/login"))
    page.get_by_role("link", name="Sign up").click()
    page.fill("input[name=username]", username)
    page.fill("input[name=email]", f"{username}@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Workflows").wait_for()


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Workflows").wait_for()


def test_design_a_workflow_and_share_it_read_only(live_server, new_page, shot, transactional_db):
    base = live_server.url
    page = new_page()

    sign_up(page, base, "ada")
    shot(page, "01-list-empty")

    # a shared team with a viewer in it
    ada = get_user_model().objects.get(username="ada")
    team = services.create_team(user=ada, name="Platform")
    services.create_user(username="bob", email="bob@example.com", password=PASSWORD)
    services.add_member(actor=ada, team=team, user_reference="bob", role="viewer")

    page.reload()
    page.get_by_label("Team").select_option(str(team.id))
    page.get_by_role("button", name="New workflow").click()
    page.fill("input[name=workflow-name]", "Orders")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/workflows/\d+$"))
    workflow_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.locator("[data-testid='state-Start']").wait_for()
    page.get_by_text("All changes saved").wait_for()
    shot(page, "02-designer")

    # drag a Pass from the palette onto the canvas
    pane = page.locator(".react-flow__pane")
    box = pane.bounding_box()
    page.locator("[data-testid='palette-Pass']").drag_to(pane, target_position={"x": box["width"] - 160, "y": 120})
    page.locator("[data-testid='state-Pass']").wait_for()
    code = page.locator(".cm-content")
    page.wait_for_function("() => document.querySelector('.cm-content')?.innerText.includes('\"Pass\": {')")
    assert '"Type": "Pass"' in code.inner_text()
    page.get_by_text("All changes saved").wait_for()
    shot(page, "03-pass-dropped")

    # the cursor in the code view selects its state on the canvas
    page.locator(".cm-line", has_text='"Start": {').click()
    page.wait_for_function("() => document.querySelector('#state-name')?.value === 'Start'")
    assert page.locator(".react-flow__node.selected [data-testid='state-Start']").count() == 1

    draft = page.evaluate(f"() => fetch('/api/workflows/{workflow_id}/').then(r => r.json())")
    assert "Pass" in json.loads(draft["draft"]["definition"])["States"]
    before = draft["draft"]["layout"]["Pass"]

    # move it with the mouse, then with the keyboard; the layout keeps both; undo takes the last back
    box = page.locator("[data-testid='state-Pass']").bounding_box()
    page.mouse.move(box["x"] + 60, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 160, box["y"] + 60, steps=8)
    page.mouse.up()
    page.keyboard.press("ArrowRight")
    page.get_by_text("All changes saved").wait_for()
    page.wait_for_timeout(300)
    layout = page.evaluate(f"() => fetch('/api/workflows/{workflow_id}/').then(r => r.json())")["draft"]["layout"]
    assert layout["Pass"]["x"] > before["x"] + 60 and layout["Pass"]["y"] > before["y"] + 20
    page.keyboard.press("Control+z")
    page.get_by_text("All changes saved").wait_for()
    page.wait_for_timeout(300)
    undone = page.evaluate(f"() => fetch('/api/workflows/{workflow_id}/').then(r => r.json())")["draft"]["layout"]
    assert undone["Pass"]["x"] < layout["Pass"]["x"]

    # the validator reports the unreachable Pass: a problem badge on the node and in the panel
    page.locator("[data-testid='problems']").get_by_text("UNREACHABLE_STATE").wait_for()
    assert page.locator("[data-testid='state-Pass'] .badge-error").inner_text() == "1"
    shot(page, "04-problems")

    page.get_by_role("button", name="Save version").click()
    page.fill("#version-message", "First cut")
    page.locator("form.popover").get_by_role("button", name="Save").click()
    page.get_by_text("Saved version 1").wait_for()
    page.get_by_role("button", name="Versions").click()
    page.get_by_text("First cut").wait_for()
    shot(page, "05-versions")
    assert page.errors == []

    # the viewer sees it read-only
    viewer = new_page()
    log_in(viewer, base, "bob")
    viewer.goto(f"{base}/workflows/{workflow_id}")
    viewer.locator("[data-testid='state-Pass']").wait_for()
    assert viewer.locator("[data-testid='save-status']").inner_text() == "Read-only"
    assert viewer.get_by_role("button", name="Save version").count() == 0
    assert viewer.locator("[data-testid='palette-Pass']").get_attribute("draggable") == "false"
    assert viewer.locator(".cm-content").get_attribute("contenteditable") == "false"
    viewer.locator("[data-testid='problems']").get_by_text("UNREACHABLE_STATE").wait_for()
    shot(viewer, "06-viewer-read-only")
    assert viewer.errors == []
