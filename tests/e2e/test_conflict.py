"""Two editors on one draft: the stale one gets a clear conflict and can load the other's work."""

from __future__ import annotations

import re

import pytest

from .test_designer import sign_up

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def set_comment(page, text: str) -> None:
    pane = page.locator(".react-flow__pane")
    box = pane.bounding_box()
    pane.click(position={"x": box["width"] - 30, "y": 30})  # nothing selected: the machine's fields
    field = page.locator("#field-Comment")
    field.fill(text)
    field.press("Enter")


def test_a_stale_draft_shows_a_conflict(live_server, new_page, shot):
    first = new_page()
    sign_up(first, live_server.url, "kim")
    first.get_by_role("button", name="New workflow").click()
    first.get_by_role("button", name="Create").click()
    first.wait_for_url(re.compile(r"/workflows/\d+$"))
    url = first.url
    first.locator("[data-testid='state-Start']").wait_for()
    first.get_by_text("All changes saved").wait_for()

    second = first.context.new_page()  # the same user in another tab
    second.errors = []  # type: ignore[attr-defined]
    second.goto(url)
    second.locator("[data-testid='state-Start']").wait_for()

    set_comment(first, "from the first tab")
    first.get_by_text("All changes saved").wait_for()
    first.wait_for_timeout(300)

    set_comment(second, "from the second tab")
    banner = second.get_by_role("alert").filter(has_text="Someone else saved this draft")
    banner.wait_for()
    assert "Conflict" in second.locator("[data-testid='save-status']").inner_text()
    shot(second, "01-conflict")

    second.get_by_role("button", name="Load their version").click()
    second.wait_for_function("() => document.querySelector('.cm-content')?.innerText.includes('from the first tab')")
    assert second.locator("[data-testid='save-status']").inner_text() == "All changes saved"

    # and "keep mine" overwrites theirs
    set_comment(first, "first again")
    first.get_by_text("All changes saved").wait_for()
    first.wait_for_timeout(300)
    set_comment(second, "second wins")
    banner.wait_for()
    second.get_by_role("button", name="Keep mine (overwrite)").click()
    second.get_by_text("All changes saved").wait_for()
    first.reload()
    first.wait_for_function("() => document.querySelector('.cm-content')?.innerText.includes('second wins')")
    shot(first, "02-overwritten")
