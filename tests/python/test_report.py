"""The dashboard (scripts/report.py) built on the demo export and opened in headless Chromium.

The browser tests need Debian's `chromium` and `chromium-driver`; without them they fail and say how
to install them. Set SALES_ACTIVITY_TEST_DUCKDB_PATH to an already built demo database to skip the
build (about 30 s).
"""
from __future__ import annotations

import csv
import html
import importlib.util
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, run_dbt

DEMO = REPO / "data" / "demo" / "salesforce"
REPORT = REPO / "scripts" / "report.py"
EXPECTED_CHARTS = {"health_by_rep", "funnel", "stalled_by_reason", "stalled_by_stage",
                   "speed_to_lead", "effort_vs_execution"}


def load_script(name: str):
    module_name = f"scripts_{name}"  # registered (dataclasses need it) under a name no test shares
    spec = importlib.util.spec_from_file_location(module_name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


browser_check = load_script("browser_check")
report = load_script("report")


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> Path:
    reused = os.environ.get("SALES_ACTIVITY_TEST_DUCKDB_PATH")
    if reused:
        return Path(reused)
    tmp = tmp_path_factory.mktemp("report_demo")
    result = run_dbt(tmp, DEMO, args=("--exclude-resource-type", "test", "unit_test"))
    assert result.returncode == 0, result.output[-4000:]
    return result.database


def run_report(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPORT), *args], cwd=REPO, capture_output=True,
                          text=True, check=False, env={**os.environ, "SALES_ACTIVITY_PUBLISHED_PATH": ""})


@pytest.fixture(scope="module")
def rendered(demo_database, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "index.html"
    completed = run_report("--database", str(demo_database), "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    return out


@pytest.fixture(scope="module")
def browser() -> None:
    try:
        browser_check.require_browser()
    except browser_check.BrowserMissing as error:
        pytest.fail(f"the dashboard's browser test needs Chromium: {error}", pytrace=False)


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def visible_text(page: str) -> str:
    without_code = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_code))


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_every_chart_draws_offline_without_console_errors(browser, rendered, tmp_path):
    screenshot = tmp_path / "dashboard.png"
    result = browser_check.check_page(rendered, screenshot)
    assert set(result.charts) == EXPECTED_CHARTS
    assert result.empty_charts == []
    assert all(marks > 0 for marks in result.charts.values()), result.charts
    assert result.remote_requests == []
    assert result.console_errors == []
    assert result.problems == []
    width, height = png_size(screenshot)
    assert width == 1400 and height > 2500, (width, height)


def test_the_browser_check_catches_a_broken_page(browser, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><head><link rel='icon' href='data:,'>"
        "<script src='http://127.0.0.1:9/plotly.min.js'></script></head><body>"
        "<div class='chart' data-chart='empty'><div class='js-plotly-plot'></div></div>"
        "<script>console.error('boom')</script></body></html>", encoding="utf-8")
    result = browser_check.check_page(page, timeout=2)
    assert result.charts == {"empty": 0}
    assert result.remote_requests == ["http://127.0.0.1:9/plotly.min.js"]
    assert any("boom" in message for message in result.console_errors)
    assert len(result.problems) >= 3


def test_the_page_is_one_self_contained_file(rendered):
    page = rendered.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//""",
                         page, flags=re.I)
    assert "<script src" not in page
    assert len(page) > 1_000_000, "plotly.js is not inlined"
    assert page.count("class='chart'") == len(EXPECTED_CHARTS)


def test_default_period_is_the_latest_complete_one(demo_database, rendered):
    period_start, as_of = query(demo_database, """
        select max(period_start) filter (where is_complete), max(period_end) filter (where is_current)
        from main.dim_periods where period_type = 'month'""")[0]
    text = visible_text(rendered.read_text(encoding="utf-8"))
    assert f"Report period {period_start:%B %Y}" in " ".join(text.split())
    assert f"data as of {as_of:%Y-%m-%d}" in " ".join(text.split())


def test_priority_gap_table_lists_the_top_red_high_score_accounts(demo_database, rendered):
    expected = query(demo_database, """
        select d.account_name, h.account_score
        from main.account_health as h
        join main.dim_accounts as d using (account_id)
        join main.dim_periods as p on p.period_type = 'month' and p.period_start = h.period_start
        where h.health_status = 'red' and h.account_score >= 70
          and p.period_start = (select max(period_start) from main.dim_periods
                                where period_type = 'month' and is_complete)
        order by h.account_score desc""")
    page = rendered.read_text(encoding="utf-8")
    table = re.search(r"<table class='gaps' id='priority-gaps'>.*?</table>", page, flags=re.S).group(0)
    body_rows = re.findall(r"<tr><td class='num'>\d+</td><td>(.*?)</td>.*?<span class='score'>(\d+)</span>",
                           table)
    assert len(body_rows) == min(15, len(expected)) > 0
    scores = [int(score) for _, score in body_rows]
    assert scores == sorted(scores, reverse=True)
    assert scores == [round(score) for _, score in expected[:len(scores)]]
    assert html.unescape(body_rows[0][0]) in {name for name, score in expected if score == expected[0][1]}
    assert f"of {len(expected)} priority gaps" in page


def test_no_contact_is_named_on_the_page(rendered):
    text = visible_text(rendered.read_text(encoding="utf-8"))
    reps = {row["name"] for row in csv.DictReader((DEMO / "user.csv").open(encoding="utf-8"))}
    with (DEMO / "contact.csv").open(encoding="utf-8") as handle:
        contacts = list(csv.DictReader(handle))
    assert "@" not in text
    leaked = {row["name"] for row in contacts if row["name"] and row["name"] not in reps
              and row["name"] in text}
    assert not leaked
    assert not any(row["phone"] and row["phone"] in text for row in contacts)


def test_period_option_picks_the_period_and_bad_input_gets_a_message(demo_database, tmp_path):
    out = tmp_path / "september.html"
    completed = run_report("--database", str(demo_database), "--out", str(out), "--period", "2026-09")
    assert completed.returncode == 0, completed.stderr
    assert "Report period <strong>September 2026</strong>" in out.read_text(encoding="utf-8")

    outside = run_report("--database", str(demo_database), "--out", str(out), "--period", "1999-01")
    assert outside.returncode == 1 and "no month holds that date" in outside.stderr
    not_a_date = run_report("--database", str(demo_database), "--period", "last month")
    assert not_a_date.returncode == 1 and "YYYY-MM" in not_a_date.stderr
    missing = run_report("--database", str(tmp_path / "nothing.duckdb"))
    assert missing.returncode == 1 and "make build" in missing.stderr
    for completed in (outside, not_a_date, missing):
        assert "Traceback" not in completed.stderr


def test_missing_chromium_fails_with_the_install_command(tmp_path):
    with pytest.raises(browser_check.BrowserMissing, match="apt-get install -y chromium chromium-driver"):
        browser_check.require_browser(chromium=tmp_path / "chromium")


def test_speed_to_lead_bands_sort_and_read_like_a_clock():
    bands = ["no_touch_yet", "within_60_min", "over_1440_min", "within_5_min", "touched_without_time",
             "within_1440_min"]
    ordered = sorted(bands, key=report.band_sort_key)
    assert [report.band_label(band) for band in ordered] == [
        "within 5 min", "within 1 h", "within 24 h", "after 24 h", "touched (time unknown)",
        "not touched yet"]
