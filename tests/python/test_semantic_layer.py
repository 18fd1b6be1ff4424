"""The MetricFlow semantic layer gives the marts' numbers.

`scripts/check_semantic_layer.py` validates the semantic models and queries every metric by month;
each result is compared here with SQL written by hand over the marts. It reads the database and
target folder of the last build (`make dbt-build`; SALES_ACTIVITY_DUCKDB_PATH and DBT_TARGET_PATH
override them) and builds the demo into a scratch folder when there is none.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, run_dbt

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("dbt_metricflow") is None,
    reason="MetricFlow is not installed (pip install 'dbt-metricflow[dbt-duckdb]==0.15.0')",
)

SCRIPT = REPO / "scripts" / "check_semantic_layer.py"
DEMO = REPO / "data" / "demo" / "salesforce"


@dataclass
class Build:
    database: Path
    target: Path

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.sql(sql).fetchall()


@dataclass
class Check:
    returncode: int
    stdout: str
    stderr: str
    results: dict[str, dict[str, float]]  # metric -> {month (YYYY-MM-DD) or "total": value}


def from_env(variable: str, default: Path) -> Path:
    value = Path(os.environ.get(variable) or default)
    return value if value.is_absolute() else REPO / value


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Build:
    database = from_env("SALES_ACTIVITY_DUCKDB_PATH", REPO / "target" / "sales_activity.duckdb")
    target = from_env("DBT_TARGET_PATH", REPO / "target")
    if database.exists() and (target / "semantic_manifest.json").exists():
        return Build(database, target)
    scratch = tmp_path_factory.mktemp("semantic_build")
    result = run_dbt(scratch, DEMO)
    assert result.returncode == 0, result.output[-4000:]
    return Build(result.database, scratch / "target")


def run_script(build: Build, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--database", str(build.database), "--target-path", str(build.target),
         "--log-path", str(build.target.parent / "logs"), *args],
        cwd=REPO, capture_output=True, text=True, check=False)


def read_results(folder: Path) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for path in folder.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        series = {}
        for row in rows:
            key = row.pop("metric_time__month", "total")[:10]
            series[key] = float(row[path.stem]) if row[path.stem] not in ("", None) else None
        results[path.stem] = series
    return results


@pytest.fixture(scope="module")
def check(build, tmp_path_factory) -> Check:
    out = tmp_path_factory.mktemp("semantic_results")
    completed = run_script(build, "--csv-dir", str(out))
    return Check(completed.returncode, completed.stdout, completed.stderr, read_results(out))


def by_month(build: Build, sql: str) -> dict[str, float]:
    """`sql` selects (month, value); returns {YYYY-MM-DD: value}."""
    return {str(month)[:10]: (None if value is None else float(value)) for month, value in build.query(sql)}


def test_every_metric_validates_and_returns_rows(build, check):
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Traceback" not in check.stderr
    declared = {metric["name"] for metric in
                json.loads((build.target / "semantic_manifest.json").read_text())["metrics"]}
    assert declared >= {"accounts_worked", "accounts_touched", "accounts_red", "accounts_yellow",
                        "accounts_green", "opp_creation_rate_per_worked_account", "show_rate",
                        "conversations_per_dial", "meetings_booked", "opportunities_created",
                        "won_amount", "stalled_deals", "median_minutes_to_first_touch",
                        "share_of_inbound_leads_within_first_sla"}
    for metric in declared:
        assert f"ok   {metric}: " in check.stdout, metric
        assert check.results[metric], metric


@pytest.mark.parametrize(("metric", "condition"), [
    ("accounts_in_book", "true"),
    ("accounts_worked", "is_worked"),
    ("accounts_touched", "is_touched"),
    ("accounts_green", "health_status = 'green'"),
    ("accounts_yellow", "health_status = 'yellow'"),
    ("accounts_red", "health_status = 'red'"),
])
def test_account_counts_equal_the_account_health_rows_of_each_month(build, check, metric, condition):
    expected = by_month(build, f"select period_start, count(*) filter (where {condition}) "
                               "from main.account_health group by 1")
    assert check.results[metric] == expected


def test_health_distribution_adds_up_to_the_book(check):
    for month, in_book in check.results["accounts_in_book"].items():
        parts = [check.results[f"accounts_{colour}"].get(month) or 0 for colour in ("green", "yellow", "red")]
        assert sum(parts) == in_book, month


@pytest.mark.parametrize(("metric", "numerator", "denominator"), [
    ("show_rate", "meetings_held", "meetings_held + no_shows"),
    ("conversations_per_dial", "conversations", "dials"),
    ("meetings_booked", "meetings_booked", None),
    ("opportunities_created", "opportunities_created", None),
])
def test_funnel_metrics_are_sums_of_the_all_channel_rows(build, check, metric, numerator, denominator):
    value = (f"sum({numerator})" if denominator is None
             else f"sum({numerator}) / nullif(sum({denominator}), 0)")
    expected = by_month(build, f"select period_start, {value} from main.pipeline_conversion "
                               "where channel = 'all' group by 1")
    actual = check.results[metric]
    assert set(actual) == set(expected)
    for month, expected_value in expected.items():
        assert actual[month] == pytest.approx(expected_value), month


def test_september_show_rate_by_hand(build, check):
    held, no_shows = build.query("select sum(meetings_held), sum(no_shows) from main.pipeline_conversion "
                                 "where channel = 'all' and period_start = date '2026-09-01'")[0]
    assert check.results["show_rate"]["2026-09-01"] == pytest.approx(held / (held + no_shows))


@pytest.mark.parametrize(("metric", "value"), [
    ("opp_creation_rate_per_worked_account", "sum(opportunities_created) / nullif(sum(worked_accounts), 0)"),
    ("won_amount", "sum(won_amount)"),
    ("quota_attainment", "sum(won_amount) filter (where quota_amount is not null) / nullif(sum(quota_amount), 0)"),
])
def test_scorecard_metrics_are_ratios_of_sums_over_reps(build, check, metric, value):
    expected = by_month(build, f"select period_start, {value} from main.rep_scorecard group by 1")
    actual = check.results[metric]
    for month, expected_value in expected.items():
        assert actual.get(month) == pytest.approx(expected_value), month


def test_stalled_deals_is_the_current_count(build, check):
    stalled, open_deals = build.query(
        "select count(*) filter (where is_stalled), count(*) from main.stalled_deals")[0]
    assert check.results["stalled_deals"] == {"total": stalled}
    assert check.results["open_deals"] == {"total": open_deals}


@pytest.mark.parametrize(("metric", "value"), [
    ("inbound_leads", "count(*)"),
    ("share_of_inbound_leads_within_first_sla", "count(*) filter (where is_within_first_sla) / count(*)"),
    ("median_minutes_to_first_touch", "quantile_cont(minutes_to_first_touch, 0.5)"),
])
def test_speed_to_lead_by_creation_month(build, check, metric, value):
    expected = by_month(build, f"select date_trunc('month', created_date), {value} "
                               "from main.speed_to_lead group by 1")
    actual = check.results[metric]
    assert set(actual) == set(expected)
    for month, expected_value in expected.items():
        assert actual[month] == pytest.approx(expected_value), month


def test_an_unknown_metric_fails_naming_it(build):
    completed = run_script(build, "--skip-validate", "--metrics", "no_such_metric,accounts_worked")
    assert completed.returncode == 1
    assert "FAIL no_such_metric" in completed.stdout
    assert "ok   accounts_worked" in completed.stdout
    assert "metrics failed: no_such_metric" in completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr
