"""The pages as a person meets them: language, errors, keyboard, accessibility, small screens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from tests.browser.helpers import (
    CYRILLIC,
    PHONE,
    SCREENSHOTS,
    UUID,
    OpenPage,
    axe_violations,
    log_in,
    log_out,
    shot,
)

pytestmark = pytest.mark.browser

FOCUSED = "el => el === document.activeElement"


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate(FOCUSED))


def tab_to(page: Page, target: Locator, limit: int) -> int:
    """Press Tab until `target` has the focus, at most `limit` times; return how many."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if is_focused(target):
            return presses
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    pytest.fail(f"{limit} Tab presses did not reach {target}; the focus is on {focused}")


def assert_focus_visible(locator: Locator) -> None:
    style = locator.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    outline_style, outline_width = style
    assert outline_style != "none", style
    assert outline_width != "0px", style


@pytest.mark.browser
def test_ukrainian_by_default_english_by_the_switch(
    live_server: Any, open_page: OpenPage, caseworker: User, shevchenko_case: Case
) -> None:
    # A browser asking for a language OpenNRM does not have gets Ukrainian.
    page = open_page(locale="de-DE")
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("main h1")).to_have_text(CYRILLIC)
    log_in(page, caseworker.username)
    # The start page, then the case list, in Ukrainian.
    heading = page.locator("main h1")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading).to_have_text("Ваш робочий день")
    page.locator("header nav a[href$='/cases/']").click()
    expect(page).to_have_url(f"{live_server.url}/cases/")
    expect(heading).to_have_text(CYRILLIC)
    expect(heading).not_to_have_text("Cases")
    expect(page.locator("header .lang button[value=uk]")).to_have_attribute("aria-current", "true")

    # The switch keeps the person on the page they were on.
    page.locator("header .lang button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/cases/")
    expect(heading).to_have_text("Cases")
    expect(page.locator("header .lang button[value=en]")).to_have_attribute("aria-current", "true")
    expect(page.locator("table.cases thead")).to_contain_text("Reference")
    shot(page, "09-case-list-en")

    # Labels of the code lists follow the language; the person's name is never translated.
    page.locator("table.cases a", has_text="Шевченко").click()
    expect(heading).to_have_text("Шевченко Олександр")
    expect(page.locator("main h2").first).to_have_text("Person")
    details = page.locator("main .columns")
    expect(details).to_contain_text("Labour exploitation")
    expect(details).to_contain_text("Construction")
    expect(details).to_contain_text("Through an online advertisement", ignore_case=True)
    shot(page, "10-case-detail-en")

    page.locator("header .lang button[value=uk]").click()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("main h2").first).to_have_text(CYRILLIC)
    expect(details).to_contain_text("Будівництво")


@pytest.mark.browser
def test_register_form_errors_show_next_to_their_fields_with_422(
    open_page: OpenPage, caseworker: User
) -> None:
    page = open_page()
    log_in(page, caseworker.username)
    page.goto("/cases/new/")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("form.case-form button[type=submit]").click()
    assert answer.value.status == 422
    expect(page).to_have_url(re.compile(r"/cases/new/$"))

    summary = page.locator(".form-errors[role=alert]")
    expect(summary).to_be_visible()
    for name in ("family_name", "channel", "ua_exploitation"):
        field = page.locator(".field.has-error").filter(has=page.locator(f"[name={name}]"))
        expect(field).to_have_count(1)
        message = field.locator(".errors")
        expect(message).to_be_visible()
        # The control (or the group of checkboxes) is described by its message...
        control = field.locator("[aria-describedby]").first
        described_by = (control.get_attribute("aria-describedby") or "").split()
        message_id = message.get_attribute("id")
        assert message_id in described_by, (name, described_by, message_id)
        # ...which stands right by it, not elsewhere on the page.
        box, near = control.bounding_box(), message.bounding_box()
        assert box is not None
        assert near is not None
        overlap = min(box["x"] + box["width"], near["x"] + near["width"]) - max(box["x"], near["x"])
        assert overlap > 0, name
        gap = max(box["y"] - (near["y"] + near["height"]), near["y"] - (box["y"] + box["height"]))
        assert gap < 24, (name, gap)
        # The summary links to the field.
        expect(summary.locator(f"a[href='#id_{name}']")).to_have_count(1)
    expect(page.locator("#id_channel")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_first_name")).not_to_have_attribute("aria-invalid", "true")
    shot(page, "03-register-form-errors")

    # A link of the summary takes the focus to its field.
    summary.locator("a[href='#id_channel']").click()
    expect(page.locator("#id_channel")).to_be_focused()


@pytest.mark.browser
def test_keyboard_skip_link_controls_and_submitting_the_register_form(
    live_server: Any, open_page: OpenPage, caseworker: User, shevchenko_case: Case
) -> None:
    page = open_page()
    log_in(page, caseworker.username)
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto("/cases/")

    # The first Tab reaches the skip link, which shows itself and leads to the content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert_focus_visible(skip)
    shot(page, "16-keyboard-skip-link")
    tab_to(page, page.locator("header nav a[href$='/cases/']"), limit=2)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    # From the content on: the register button, the name search, the filters, Search, the cases.
    register = page.locator("main .page-head a[href$='/cases/new/']")
    tab_to(page, register, limit=1)
    assert_focus_visible(register)
    tab_to(page, page.locator("#id_q"), limit=1)
    assert_focus_visible(page.locator("#id_q"))
    page.keyboard.type("шевченко")
    search = page.locator("form.filters button[type=submit]")
    # status, "only mine", exploitation, oblast, then two dates with a stop for each of their parts
    tab_to(page, search, limit=16)
    assert_focus_visible(search)
    page.screenshot(path=SCREENSHOTS / "18-keyboard-search-button.png")
    with page.expect_response(
        lambda r: r.request.method == "GET" and "/cases/?" in r.url
    ) as answer:  # the POST answers 303 to the list's GET address
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    expect(page.locator("form.filters .actions a[href$='/cases/']")).to_be_visible()  # Clear
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    expect(page.locator("#id_q")).to_have_value("шевченко")

    # The register form, filled and sent with the keyboard alone.
    page.goto("/cases/new/")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    tab_to(page, page.locator("#id_family_name"), limit=1)
    page.keyboard.type("Коваль")
    tab_to(page, page.locator("#id_first_name"), limit=1)
    page.keyboard.type("Марія")
    tab_to(page, page.locator("#id_birth_date"), limit=3)
    page.keyboard.type("1990")
    channel = page.locator("#id_channel")
    tab_to(page, channel, limit=25)
    page.keyboard.press("ArrowDown")
    expect(channel).not_to_have_value("")
    labour = page.locator("input[name=ua_exploitation][value=LabourExploitation]")
    tab_to(page, labour, limit=6)
    assert_focus_visible(labour)
    labour.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "17-keyboard-checkbox.png")
    page.keyboard.press("Space")
    expect(labour).to_be_checked()
    # Save comes right after the form's last control (the summary of its last optional part).
    save = page.locator("form.case-form button[type=submit]")
    last = page.locator("form.case-form :is(input, select, textarea, summary):visible").last
    last.focus()
    tab_to(page, save, limit=5)
    page.keyboard.press("Shift+Tab")
    assert is_focused(last)
    tab_to(page, save, limit=1)
    assert_focus_visible(save)
    page.keyboard.press("Enter")
    # The redirect keeps the fragment the skip link put in the address.
    expect(page).to_have_url(re.compile(rf"/cases/{UUID}/(#main)?$"))
    expect(page.locator("main h1")).to_have_text("Коваль Марія")


@pytest.mark.browser
def test_no_serious_or_critical_accessibility_violations(
    open_page: OpenPage, supervisor: User, shevchenko_case: Case
) -> None:
    found: dict[str, list[str]] = {}
    page = open_page()

    def check(name: str) -> None:
        if violations := axe_violations(page):
            found[name] = violations

    page.goto("/accounts/login/")
    check("login")
    page.locator("#id_username").fill(supervisor.username)
    page.locator("#id_password").fill("wrong password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".form-errors")).to_be_visible()
    check("login with an error")
    log_in(page, supervisor.username)
    expect(page.locator("main h1")).to_be_visible()
    check("start page")
    page.goto("/cases/")
    check("case list")
    page.locator("#id_q").fill("nobody-by-this-name")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("main .empty")).to_be_visible()
    check("case list, nothing found")
    page.goto("/cases/new/")
    page.locator("form.case-form button[type=submit]").click()
    expect(page.locator(".form-errors")).to_be_visible()
    check("register form with errors")
    page.goto(f"/cases/{shevchenko_case.id}/")
    check("case detail")
    page.goto(f"/cases/{shevchenko_case.id}/history/")
    check("case history")
    page.goto(f"/cases/{shevchenko_case.id}/consents/new/")
    check("consent form")
    page.goto("/cases/00000000-0000-0000-0000-000000000000/")
    check("not found")
    log_out(page)
    assert not found, "\n\n".join(f"{name}:\n" + "\n".join(v) for name, v in found.items())


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]}px wide on a {widths[1]}px screen"


@pytest.mark.browser
def test_small_screen_and_print(
    open_page: OpenPage, supervisor: User, shevchenko_case: Case
) -> None:
    page = open_page(viewport=PHONE)
    page.goto("/accounts/login/")
    assert_no_horizontal_scroll(page)
    log_in(page, supervisor.username)
    assert_no_horizontal_scroll(page)
    shot(page, "11-start-page-phone")
    page.goto("/cases/")
    assert_no_horizontal_scroll(page)
    # The header's controls stay on the screen.
    for control in ("header nav a[href$='/cases/']", "header .lang button[value=en]"):
        expect(page.locator(control)).to_be_in_viewport()
    expect(page.locator("header form[action$='/accounts/logout/'] button")).to_be_visible()
    shot(page, "11-case-list-phone")
    page.goto(f"/cases/{shevchenko_case.id}/")
    assert_no_horizontal_scroll(page)
    shot(page, "12-case-detail-phone")
    page.goto("/cases/new/")
    assert_no_horizontal_scroll(page)
    shot(page, "13-register-form-phone")
    page.goto(f"/cases/{shevchenko_case.id}/history/")
    assert_no_horizontal_scroll(page)
    shot(page, "14-history-phone")

    # Printed, a case shows its facts and none of the controls.
    page.set_viewport_size({"width": 900, "height": 1200})
    page.goto(f"/cases/{shevchenko_case.id}/")
    page.emulate_media(media="print")
    for hidden in ("header nav", "header .lang", "main > .page-head .actions", "a.skip-link"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
    shot(page, "15-case-detail-print")
