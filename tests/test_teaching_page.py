"""The teaching page in a real browser: `mnp viz` served on a free loopback port and
driven in headless Debian Chromium by Playwright (no browser download: the
project's `make test` installs Debian's chromium; see the Makefile).

Saves a screenshot to out/test-artifacts/teaching_page.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "out" / "test-artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]

pytestmark = pytest.mark.slow


def chromium() -> str:
    """Debian's chromium, or MNP_CHROMIUM; skipped locally when absent, an error in CI."""
    found = os.environ.get("MNP_CHROMIUM") or shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        message = "no chromium: run `make browser` (Debian's chromium package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """`mnp viz` on a free loopback port, stopped after the module's tests."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "viz_server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "sim", "viz", "--port", str(port)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail(f"mnp viz did not start: {(ARTIFACTS / 'viz_server.log').read_text()}")
        time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _status(page) -> str:
    return page.locator(".mnp-status").inner_text()


def _step(page, times: int = 1) -> None:
    """Press Step and wait until the status line shows the next month."""
    for _ in range(times):
        before = _status(page)
        page.get_by_role("button", name="Step").click()
        page.wait_for_function(
            "before => document.querySelector('.mnp-status').innerText !== before", arg=before,
            timeout=30_000)


def _slider(page, label: str):
    return page.locator(".v-input", has_text=label).get_by_role("slider")


def test_page_steps_reacts_to_a_slider_and_shows_no_error(server):
    from playwright.sync_api import sync_playwright

    failed: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1400})
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
                if r.status >= 400 else None)
        page.on("pageerror", lambda e: failed.append(f"page error: {e}"))
        try:
            page.goto(server, timeout=60_000)
            page.get_by_role("button", name="Step").wait_for(timeout=60_000)
            assert "no month simulated yet" in _status(page)

            _step(page)
            assert _status(page).startswith("Month 1 of 36 (2019-01)")
            chart = page.locator(".mnp-churn img")
            chart.wait_for(timeout=30_000)
            first = chart.screenshot()
            _step(page, 2)
            assert _status(page).startswith("Month 3 of 36 (2019-03)")
            assert "MNP opens 2020-01" in _status(page)
            assert chart.screenshot() != first, "the churn chart did not change when stepping"
            default_month3 = chart.screenshot()

            # MNP slider to month 2 (Home = 0 = never, then two steps right), then Reset
            slider = _slider(page, "MNP opens in month")
            slider.focus()
            page.keyboard.press("Home")
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            assert slider.get_attribute("aria-valuenow") == "2"
            page.get_by_role("button", name="Reset").click()
            page.wait_for_function(
                "() => document.querySelector('.mnp-status').innerText.includes('MNP opens 2019-02')",
                timeout=30_000)
            _step(page, 3)
            status = _status(page)
            assert "MNP open since 2019-02" in status, status
            assert chart.screenshot() != default_month3, "the slider did not change the chart"

            body = page.inner_text("body")
            assert "Traceback" not in body and "error in step" not in body
            assert page.locator(".v-alert.error").count() == 0
            assert page.locator(".mnp-market-now img").count() == 1
        finally:
            page.screenshot(path=str(ARTIFACTS / "teaching_page.png"), full_page=True)
            browser.close()
    assert not failed, "requests failed or the page raised:\n" + "\n".join(failed)
