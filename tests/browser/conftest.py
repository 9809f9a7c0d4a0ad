"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against the live server.

Never `playwright install`: the tests launch /usr/bin/chromium (Debian's package). Each test
gets fresh browser contexts (no cookies, no cache) from one browser per test process.
Screenshots of every page go to test-artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from tests.browser.helpers import DESKTOP, OpenPage

# Playwright's sync API keeps an asyncio loop in this thread, and Django's ORM refuses to run
# beside a loop. The tests themselves are synchronous, so the guard may go.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
# Chromium logs every non-2xx answer as a console error; the tests check those statuses.
EXPECTED_CONSOLE = re.compile(r"^Failed to load resource: the server responded with a status of")

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # Django keeps a thread's database connections in asgiref's Local, which holds them in a
    # context variable, not the thread-local, while an event loop runs in the thread; Playwright's
    # loop runs from here to the end of the session. A connection opened before would be out of
    # sight of every later `close_all` (each transactional test's teardown) and stay open, idle,
    # for the rest of the test process: with SQLite it keeps the database's shared-memory index
    # of that process, and a WAL file that another process may delete (tests/sqlite_files.py).
    connections.close_all()
    with sync_playwright() as pw:
        yield pw
        connections.close_all()  # those opened beside the loop, out of sight once it stops


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's package (apt-get install chromium)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def open_page(browser: Browser, live_server: Any) -> Iterator[OpenPage]:
    """Open a page in a new browser context: a separate person with their own cookies.

    Ukrainian is the browser's language unless `locale` says otherwise. Console errors
    (a CSP violation, a script error) fail the test.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not EXPECTED_CONSOLE.match(message.text):
            problems.append(f"console: {message.text}")

    def open_(locale: str = "uk-UA", viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport=viewport or DESKTOP
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)
