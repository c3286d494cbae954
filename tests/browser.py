"""Headless Chromium (Debian's ``chromium``) driven by Playwright, with every network request blocked.

Pages are opened from ``file://``; any other request is aborted and recorded, as are console errors,
page errors and dialogs (``alert`` …). Outside CI a missing Chromium or Playwright skips the test; with
``CI=true`` it fails (:func:`tests.servers.need_program`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from .servers import need_program

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Watch:
    """What a page did that it should not: requests off ``file://``, console errors, dialogs."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.outside.clear()
        self.errors.clear()
        self.dialogs.clear()


def find_chromium() -> str:
    """Debian's Chromium, or skip/fail."""
    return need_program(
        "chromium",
        os.environ.get("CITYNET_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser"),
    )


def import_playwright() -> Any:
    """``playwright.sync_api``, or skip/fail (it is in the ``test`` extra)."""
    try:
        from playwright import sync_api
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but playwright is not installed (pip install -e '.[test]')")
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    return sync_api


@contextmanager
def offline_page(width: int = 1400, height: int = 900) -> Iterator[tuple[Any, Watch]]:
    """A Chromium page that may load only ``file://`` URLs; yields (page, watch)."""
    executable = find_chromium()
    sync_api = import_playwright()
    watch = Watch()
    with (
        tempfile.TemporaryDirectory(prefix="citynet-chromium-") as profile,
        sync_api.sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            args=FLAGS,
            headless=True,
            offline=True,
            viewport={"width": width, "height": height},
        )
        try:
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith("file:")
                    else (watch.outside.append(route.request.url), route.abort())[1]
                ),
            )
            page = context.new_page()
            page.on("console", lambda msg: msg.type == "error" and watch.errors.append(msg.text))
            page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
            page.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
            page.on(
                "request",
                lambda request: (
                    request.url.startswith("file:")
                    or request.url in watch.outside
                    or watch.outside.append(request.url)
                ),
            )
            yield page, watch
        finally:
            context.close()


def open_ready(page: Any, url: str, timeout: float = 60_000) -> None:
    """Open a citynet page and wait until its layout is done and physics stopped."""
    page.goto(url)
    page.wait_for_function("window.citynet && window.citynet.ready === true", timeout=timeout)
