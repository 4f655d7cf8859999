"""The reports in Debian's Chromium, the admin served by gunicorn: filter, chart, CSV download."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.record import Recorder, Store
from kiosk.record.export import export
from tests.support.feedback import ROOT, AdminServer, play_sessions
from tests.support.isolation import free_port

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = ROOT / "test-artifacts" / "feedback"


def _flask(instance: Path, *args: str) -> str:
    env = {"STORYKIOSK_ADMIN_INSTANCE_PATH": str(instance)}
    r = subprocess.run([sys.executable, "-m", "flask", "--app", "admin", *args], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, input="a long test pass 42\n"
                       "a long test pass 42\n", env={**os.environ, **env})
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_viewer_filters_the_report_and_downloads_its_csv(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it)")
    from playwright.sync_api import expect, sync_playwright

    data, instance = tmp_path / "kiosk", tmp_path / "instance"
    with Recorder.open(data, batch_interval=0.01) as rec:
        play_sessions(rec, 120, seed=31)
    store = Store.open(data)
    export(store, data, tmp_path / "e.jsonl", "jsonl")
    store.close()
    _flask(instance, "init-db")
    _flask(instance, "kiosks", "import", str(tmp_path / "e.jsonl"))
    _flask(instance, "create-user", "vera", "--role", "viewer")
    server = AdminServer(instance, free_port(), workers=1)
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(accept_downloads=True)
            page.goto(base + "/login")
            page.fill("#username", "vera")
            page.fill("#password", "a long test pass 42")
            page.click("button[type=submit]")
            page.click("text=Visitor feedback")
            # The click returns before the report page has loaded (a loaded machine showed
            # none of its charts yet): wait for it, then for a second chart.
            page.wait_for_url("**/reports/**")
            expect(page.locator("svg.chart").nth(1)).to_be_attached()
            everyone = int(page.locator("#stories tr.total td").first.inner_text())
            page.select_option("#f-language", "sv")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**language=sv**")
            page.wait_for_load_state()
            shown = page.locator("#stories tr.total td").first.inner_text()
            assert int(shown) < everyone
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "reports.png"), full_page=True)
            with page.expect_download() as info:
                page.click("text=Download the story table (CSV)")
            rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text())))
            browser.close()
    finally:
        server.stop()
    total = next(r for r in rows if r[0] == "(total of shown cells)")
    assert int(total[1]) == int(shown)
    assert any(r[0] == "# filters" and re.search(r"language=sv", r[1]) for r in rows)


def test_a_curator_prints_the_impact_report_to_pdf_and_downloads_a_table(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it)")
    from playwright.sync_api import expect, sync_playwright
    from pypdf import PdfReader

    data, instance = tmp_path / "kiosk", tmp_path / "instance"
    with Recorder.open(data, batch_interval=0.01) as rec:
        play_sessions(rec, 200, seed=41)
    store = Store.open(data)
    export(store, data, tmp_path / "e.jsonl", "jsonl")
    store.close()
    _flask(instance, "init-db")
    _flask(instance, "kiosks", "import", str(tmp_path / "e.jsonl"))
    _flask(instance, "create-user", "cora", "--role", "curator")
    server = AdminServer(instance, free_port(), workers=1)
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    pdf = tmp_path / "impact.pdf"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(accept_downloads=True)
            page.goto(base + "/login")
            page.fill("#username", "cora")
            page.fill("#password", "a long test pass 42")
            page.click("button[type=submit]")
            page.click("text=Visitor feedback")
            page.wait_for_url("**/reports/**")
            page.click("nav.tabs >> text=Choices")
            page.wait_for_load_state()
            page.select_option("#f-aud", "general")
            page.select_option("#f-language", "sv")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**audience=general**")
            assert "language=sv" in page.url
            expect(page.locator("section.point").first).to_be_attached()
            with page.expect_download() as info:
                page.click("text=Download the choice table (CSV)")
            rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text())))
            page.click("nav.tabs >> text=Printable impact report")
            page.wait_for_url("**/impact**")
            assert "audience=general" in page.url and "language=sv" in page.url
            page.emulate_media(media="print")
            assert not page.locator("form.filters").is_visible()  # print styles hide it
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "impact-print.png"), full_page=True)
            page.pdf(path=str(pdf), format="A4", print_background=False)
            browser.close()
    finally:
        server.stop()
    assert rows[0][:4] == ["story", "scene", "dimension", "group"]
    assert any(r[0] == "# filters" and "language=sv" in r[1] and "audience=general" in r[1]
               for r in rows)
    reader = PdfReader(str(pdf))
    pages = [pg.extract_text() for pg in reader.pages]
    text = "\n".join(pages)
    # Each part starts a page: stories (with the period and filters), choices, surveys,
    # breakdowns; a long part may run over.
    assert 4 <= len(pages) <= 20, len(pages)
    assert all(t.strip() for t in pages), [i for i, t in enumerate(pages) if not t.strip()]
    assert "-0.00" not in text and "−0.00" not in text
    assert "Impact report" in pages[0] and "Period:" in pages[0]
    assert "audience = general" in pages[0] and "language = sv" in pages[0]
    for title in ("2. Choices at each branching point", "3. Surveys before and after",
                  "4. Languages, countries, kiosks, days and hours"):
        starts = [i for i, t in enumerate(pages) if title in t]
        assert starts and starts[0] > 0 and pages[starts[0]].lstrip().startswith(title), title
    assert "q-aware" in text and "fewer than 5" in text
    assert "Filters" not in pages[0].split("Impact report")[0]  # the form is not printed
    shutil.copy(pdf, SHOTS / "impact.pdf")
