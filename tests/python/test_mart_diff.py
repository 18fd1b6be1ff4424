"""Tests of scripts/mart_diff.py: the row comparison on small hand-made tables (known counts), the
primary-key rules, and one end-to-end run on a throw-away git repo of the project where a RevOps
threshold change flips accounts from yellow to green."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "mart_diff.py"
FIXTURE_EXPORT = "tests/fixtures/exports/handwritten_api_names"
# What the project copy needs to build; build output, venvs and the demo export are left behind.
IGNORED = shutil.ignore_patterns(".git", ".venv", "venv", "target", "logs", "data", "dbt_packages",
                                 "__pycache__", ".pytest_cache", "*.duckdb", "*.duckdb.wal")
# AE Mid-Market month: 30 activities / 3 contacts -> 1 / 1. In the fixture export two accounts of an
# AE Mid-Market rep are touched (3 and 1 qualifying activities, 2 and 1 contacts): yellow -> green.
THRESHOLD_BEFORE = "AE,Mid-Market,month,30,3,"
THRESHOLD_AFTER = "AE,Mid-Market,month,1,1,"


def load_script():
    spec = importlib.util.spec_from_file_location("mart_diff", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["mart_diff"] = module
    spec.loader.exec_module(module)
    return module


mart_diff = load_script()


# --- the comparison on small in-memory tables --------------------------------------------------------


@pytest.fixture()
def connection():
    with duckdb.connect() as con:
        con.execute("""
            create table before_t as select * from (values
                ('a', 1, 'red',    10.0, 0.3),
                ('a', 2, 'yellow', 20.0, 1.0),
                ('b', 1, 'yellow', 30.0, null),
                ('c', 1, 'green',  40.0, 2.0),
                ('d', 1, 'green',  50.0, 3.0)
            ) as t(account_id, period, health, amount, ratio)""")
        con.execute("""
            create table after_t as select * from (values
                ('a', 1, 'red',    10.0, 0.1 + 0.2),   -- float noise only: unchanged
                ('a', 2, 'green',  20.0, 1.0),         -- health changed
                ('b', 1, 'yellow', 35.5, 0.5),         -- amount and ratio (NULL -> 0.5) changed
                ('c', 1, 'green',  -60.0, 2.0),        -- amount changed by -100
                ('e', 1, 'red',    70.0, 4.0)          -- added; ('d', 1) removed
            ) as t(account_id, period, health, amount, ratio)""")
        yield con


def test_compare_counts_added_removed_changed_unchanged(connection):
    diff = mart_diff.compare_tables(connection, "before_t", "after_t", ["account_id", "period"], top=5)
    assert (diff.base_rows, diff.head_rows) == (5, 5)
    assert (diff.added, diff.removed, diff.changed, diff.unchanged) == (1, 1, 3, 1)
    assert diff.added_keys == [("e", 1)] and diff.removed_keys == [("d", 1)]
    changes = {change.name: change for change in diff.column_changes}
    assert {name: change.changed_rows for name, change in changes.items()} == {
        "health": 1, "amount": 2, "ratio": 1}
    assert changes["health"].transitions == [("yellow", "green", 1)]
    biggest = changes["amount"].biggest
    assert [(key, float(delta)) for key, _, _, delta in biggest] == [(("c", 1), -100.0), (("b", 1), 5.5)]


def test_compare_top_limits_the_rows_shown(connection):
    diff = mart_diff.compare_tables(connection, "before_t", "after_t", ["account_id", "period"], top=1)
    amount = next(change for change in diff.column_changes if change.name == "amount")
    assert amount.changed_rows == 2 and len(amount.biggest) == 1


def test_compare_refuses_a_key_that_is_not_unique(connection):
    diff = mart_diff.compare_tables(connection, "before_t", "after_t", ["period"])
    assert diff.changed is None and "not unique" in diff.note


def test_compare_reports_added_and_removed_columns(connection):
    connection.execute("create table after_cols as select account_id, period, health, amount, "
                       "1 as touches from after_t")
    diff = mart_diff.compare_tables(connection, "before_t", "after_cols", ["account_id", "period"])
    assert diff.columns_added == ["touches"] and diff.columns_removed == ["ratio"]


def test_primary_key_precedence():
    unique = {"test_metadata": {"name": "unique"}, "column_name": "surrogate_id"}
    combination = {"test_metadata": {"name": "unique_combination",
                                     "kwargs": {"columns": ["account_id", "period_start"]}}}
    assert mart_diff.primary_key({}, [unique]) == ["surrogate_id"]
    assert mart_diff.primary_key({}, [unique, combination]) == ["account_id", "period_start"]
    constrained = {"columns": {"surrogate_id": {"constraints": [{"type": "primary_key"}]}}}
    assert mart_diff.primary_key(constrained, [combination]) == ["surrogate_id"]
    with_meta = {**constrained, "config": {"meta": {"primary_key": ["rep_id", "period_start"]}}}
    assert mart_diff.primary_key(with_meta, [combination]) == ["rep_id", "period_start"]
    assert mart_diff.primary_key({}, []) == []


# --- end to end on a throw-away git repo -----------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Data Team", "-c", "user.email=data@example.com",
                           *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def project_repo(tmp_path_factory) -> Path:
    """The project as it is now, committed, then a second commit that lowers one threshold row."""
    repo = tmp_path_factory.mktemp("mart_diff") / "sales_activity"
    shutil.copytree(REPO_ROOT, repo, ignore=IGNORED)
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "project as it is")
    thresholds = repo / "seeds" / "activity_thresholds.csv"
    text = thresholds.read_text(encoding="utf-8")
    assert THRESHOLD_BEFORE in text, "the seed row this test edits has changed: update the test"
    thresholds.write_text(text.replace(THRESHOLD_BEFORE, THRESHOLD_AFTER), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "AE Mid-Market monthly threshold: 1 activity, 1 contact")
    return repo


def run_script(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=repo, capture_output=True,
                          text=True, check=False)


def summary_rows(report: str) -> dict[str, list[str]]:
    """mart -> [key, rows before, rows after, added, removed, changed, unchanged] from the table."""
    rows = {}
    for line in report.splitlines():
        match = re.match(r"^\| `(\w+)` \| (.*) \|$", line)
        if match:
            key, *counts = [cell.strip() for cell in match.group(2).split(" | ")]
            rows[match.group(1)] = [key, *(count.replace(",", "") for count in counts)]
    return rows


def test_threshold_change_flips_account_health_only(project_repo):
    # Defaults: base HEAD~1 (no origin/main here), head the working tree (= the second commit).
    completed = run_script(project_repo, "--export-dir", FIXTURE_EXPORT, "--skip-tests")
    assert completed.returncode == 0, completed.stderr
    report = completed.stdout
    rows = summary_rows(report)
    assert {"account_health", "dim_accounts", "fct_activities", "speed_to_lead"} <= rows.keys()
    key, before, after, added, removed, changed, unchanged = rows["account_health"]
    assert key == "account_id, period_start"
    assert (before, after, added, removed) == ("3", "3", "0", "0")
    assert int(changed) == 2 and int(unchanged) == 1
    assert "| yellow → green | 2 |" in report
    assert re.search(r"\| 001A000001aaaAAA, 2025-10-01 \| 30 → 1 \| -29 \|", report)
    for untouched in ("fct_activities", "speed_to_lead", "dim_opportunities", "dim_periods",
                      "pipeline_conversion"):
        assert rows[untouched][3:6] == ["0", "0", "0"], untouched
    assert "Marts added" not in report and "Marts dropped" not in report
    assert "[mart_diff] 5/5 comparing marts" in completed.stderr
    # The user's checkout is left as it was: no stray files, no leftover worktree.
    assert git(project_repo, "status", "--porcelain") == ""
    assert len(git(project_repo, "worktree", "list").splitlines()) == 1


def test_failed_build_names_the_revision_and_shows_dbt_output(project_repo, tmp_path):
    empty_export = tmp_path / "empty_export"
    empty_export.mkdir()
    completed = run_script(project_repo, "--base", "HEAD~1", "--head", "HEAD",
                           "--export-dir", str(empty_export))
    assert completed.returncode == 1
    assert "dbt build failed for HEAD~1" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stdout == ""
    assert len(git(project_repo, "worktree", "list").splitlines()) == 1


def test_unknown_revision_is_refused_with_a_hint(project_repo):
    completed = run_script(project_repo, "--base", "no-such-branch")
    assert completed.returncode == 1
    assert "unknown revision 'no-such-branch'" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_help():
    completed = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True,
                               check=False)
    assert completed.returncode == 0 and "--export-dir" in completed.stdout
