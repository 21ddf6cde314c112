"""The other pages: the workflow list, import (YAML comments kept), team settings and activity."""

from __future__ import annotations

import re

import pytest

from designer import services

from .test_designer import PASSWORD, sign_up

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YAML = """# Greets everyone
Comment: Hello
StartAt: Greet
States:
  # the only state
  Greet:
    Type: Pass
    Result: {hello: world}
    End: true
"""


def test_import_team_settings_and_activity(live_server, new_page, shot):
    page = new_page()
    sign_up(page, live_server.url, "lin")

    page.get_by_role("button", name="Import…").click()
    page.get_by_label("Definition or template").fill(YAML)
    page.get_by_text("1 states found.").wait_for()
    shot(page, "01-import")
    page.get_by_role("dialog", name="Import").get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/workflows/\d+$"))
    page.locator("[data-testid='state-Greet']").wait_for()
    code = page.locator(".cm-content").inner_text()
    assert "# Greets everyone" in code and "# the only state" in code
    page.locator("[data-testid='state-Greet']").click()
    page.fill("#state-name", "Say hello")
    page.press("#state-name", "Enter")
    page.wait_for_function("() => document.querySelector('.cm-content')?.innerText.includes('StartAt: Say hello')")
    assert "# the only state" in page.locator(".cm-content").inner_text()
    page.get_by_text("All changes saved").wait_for()
    shot(page, "02-imported-yaml")

    # name, description and tags
    page.get_by_role("button", name="Workflow Hello").click()
    page.fill("#wf-tags", "greeting, demo")
    page.get_by_role("form", name="Workflow details").get_by_role("button", name="Save").click()
    page.get_by_role("form", name="Workflow details").wait_for(state="detached")

    page.get_by_role("link", name="Stepwright").click()
    table = page.locator(".workflow-table")
    table.get_by_text("Hello").wait_for()
    table.get_by_role("button", name="greeting").wait_for()
    page.get_by_label("Filter by tag").select_option("demo")
    table.get_by_text("Hello").wait_for()
    shot(page, "03-list")
    page.once("dialog", lambda d: d.accept())
    table.get_by_text("Hello").hover()
    page.get_by_role("button", name="Delete Hello").click()
    page.get_by_text("No workflows match.").wait_for()

    services.create_user(username="mo", email="mo@example.com", password=PASSWORD)
    page.once("dialog", lambda d: d.accept("Platform"))
    page.get_by_role("button", name="New team").click()
    page.get_by_label("Team").locator("option", has_text="Platform").wait_for(state="attached")
    page.get_by_role("link", name="Team settings").click()
    page.get_by_role("heading", name="Platform").wait_for()
    page.get_by_label("Add by username or email").fill("mo")
    page.get_by_role("button", name="Add member").click()
    role = page.get_by_label("Role of mo")
    role.wait_for()
    assert role.input_value() == "editor"
    role.select_option("viewer")
    page.wait_for_timeout(300)
    page.reload()
    page.get_by_label("Role of mo").wait_for()
    assert page.get_by_label("Role of mo").input_value() == "viewer"
    page.locator(".activity li").first.wait_for()
    shot(page, "04-team-settings")
    assert page.errors == []
