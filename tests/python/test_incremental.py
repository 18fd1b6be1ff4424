"""Incremental builds: after a daily sync, an incremental run equals a full refresh, mart for mart.

One generated export is built once; then it changes the way a daily ELT sync changes it (a day of
new activities, late-arriving activities dated in old periods, re-synced versions of existing
activities with a later modstamp: one moved to another month, one soft-deleted). The incremental
run over the changed export must leave every mart identical, row for row, to a full refresh of the
same export in another database, and must have rebuilt only the report periods the sync touched.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, DbtResult, run_dbt

ACTIVITIES = 5000
INCREMENTAL_MODELS = ["fct_activities", "int_touches_aggregated_to_account_periods",
                      "int_activities_aggregated_to_rep_periods"]
DESCENDANTS = [model + "+" for model in INCREMENTAL_MODELS]
SEEDS_AND_MODELS = ("--resource-type", "seed", "--resource-type", "model")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def timestamp(day: dt.date, hour: int) -> str:
    """The export's timestamp shape (Salesforce API format, UTC)."""
    return f"{day.isoformat()}T{hour:02d}:00:00.000+0000"


def read_tasks(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with gzip.open(path, "rt", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_tasks(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with gzip.open(path, "wt", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def version(row: dict[str, str], synced_on: dt.date, **changes: str) -> dict[str, str]:
    """A copy of a raw task row as a later sync lands it: modstamp and sync time on that day."""
    return {**row, "system_modstamp": timestamp(synced_on, 12), "_fivetran_synced": timestamp(synced_on, 13),
            **changes}


def mart_names(target: Path) -> list[str]:
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    return sorted(node["name"] for node in manifest["nodes"].values()
                  if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/"))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("incremental")
    export = tmp / "export"
    subprocess.run([sys.executable, str(REPO / "scripts" / "generate_demo_data.py"), "--activities",
                    str(ACTIVITIES), "--out", str(export), "--quiet"], cwd=REPO, check=True)
    incremental, full = tmp / "incremental", tmp / "full"

    first = run_dbt(incremental, export, args=SEEDS_AND_MODELS)
    assert first.returncode == 0, first.output[-4000:]

    # Staged completed touches on tasks, by month, to take the sync's changes from.
    as_of = first.query("select as_of_date from main.stg_crm__as_of_date")[0][0]
    touches = first.query(
        "select activity_id, activity_date from main.stg_crm__activities where source_table = 'task' "
        "and is_touch and not is_date_only order by activity_id")
    by_month: dict[dt.date, list[str]] = {}
    for activity_id, activity_date in touches:
        by_month.setdefault(month_start(activity_date), []).append(activity_id)
    current = month_start(as_of)
    late_month, moved_from, moved_to, deleted_month = (add_months(current, -months) for months in (6, 4, 2, 8))
    for month in (current, late_month, moved_from, deleted_month):
        assert len(by_month.get(month, [])) >= 5, f"the generated export has too few touches in {month}"

    task_file = export / "task.csv.gz"
    header, rows = read_tasks(task_file)
    raw = {row["id"]: row for row in rows}
    new_day = as_of + dt.timedelta(days=1)
    appended = []
    # A day of new activities (as of moves to it), copies of this month's touches.
    for number, activity_id in enumerate(by_month[current][:20]):
        appended.append(version(raw[activity_id], new_day, id=f"00T9{number:014d}", activity_date=new_day.isoformat(),
                                completed_date_time=timestamp(new_day, 10), created_date=timestamp(new_day, 9)))
    # Late-arriving activities: logged and modified months ago, landed by today's sync.
    for number, activity_id in enumerate(by_month[late_month][:5]):
        appended.append({**raw[activity_id], "id": f"00T8{number:014d}",
                         "_fivetran_synced": timestamp(new_day, 13)})
    # Re-synced versions with a later modstamp: one moved two months on, one soft-deleted.
    moved_id, deleted_id = by_month[moved_from][0], by_month[deleted_month][0]
    moved_date = moved_to + dt.timedelta(days=9)
    appended.append(version(raw[moved_id], new_day, activity_date=moved_date.isoformat(),
                            completed_date_time=timestamp(moved_date, 15)))
    appended.append(version(raw[deleted_id], new_day, is_deleted="true"))
    write_tasks(task_file, header, rows + appended)

    # Everything but the incremental models and what reads them, so their incremental SQL can be
    # compiled against today's inputs and its batch counted before the run writes it.
    upstream = run_dbt(incremental, export, command="run", args=("--exclude", *DESCENDANTS))
    assert upstream.returncode == 0, upstream.output[-4000:]
    compiled = run_dbt(incremental, export, command="compile", args=("--select", *INCREMENTAL_MODELS))
    assert compiled.returncode == 0, compiled.output[-4000:]
    batches = {}
    with duckdb.connect(str(first.database), read_only=True) as connection:
        for model in INCREMENTAL_MODELS:
            sql_path = next((incremental / "target" / "compiled").rglob(f"{model}.sql"))
            batch = f"({sql_path.read_text(encoding='utf-8')}) as batch"
            batches[model] = {
                "batch_rows": connection.sql(f"select count(*) from {batch}").fetchone()[0],
                "batch_periods": {row[0] for row in connection.sql(
                    f"select distinct period_start from {batch}").fetchall()},
                "stored_rows": connection.sql(f"select count(*) from main.{model}").fetchone()[0],
                "stored_periods": {row[0] for row in connection.sql(
                    f"select distinct period_start from main.{model}").fetchall()},
            }

    daily = run_dbt(incremental, export, command="build", args=("--select", *DESCENDANTS, "--exclude", "test_type:unit"))
    assert daily.returncode == 0, daily.output[-4000:]
    refreshed = run_dbt(full, export, args=(*SEEDS_AND_MODELS, "--full-refresh"))
    assert refreshed.returncode == 0, refreshed.output[-4000:]
    return {
        "incremental": daily, "full": refreshed, "marts": mart_names(incremental / "target"),
        "batches": batches,
        "touched": {month_start(new_day), late_month, moved_from, moved_to, deleted_month},
        "moved_id": moved_id, "moved_to": moved_to, "deleted_id": deleted_id,
    }


def test_incremental_run_equals_full_refresh_for_every_mart(scenario):
    incremental: DbtResult = scenario["incremental"]
    full: DbtResult = scenario["full"]
    assert len(scenario["marts"]) >= 10, scenario["marts"]
    with duckdb.connect() as connection:
        connection.sql(f"attach '{incremental.database}' as incremental (read_only)")
        connection.sql(f"attach '{full.database}' as full_refresh (read_only)")
        for model in scenario["marts"] + INCREMENTAL_MODELS:
            rows = connection.sql(f"select count(*) from full_refresh.main.{model}").fetchone()[0]
            only_incremental = connection.sql(
                f"select count(*) from (select * from incremental.main.{model} "
                f"except all select * from full_refresh.main.{model})").fetchone()[0]
            only_full = connection.sql(
                f"select count(*) from (select * from full_refresh.main.{model} "
                f"except all select * from incremental.main.{model})").fetchone()[0]
            assert (only_incremental, only_full) == (0, 0), \
                f"{model}: {only_incremental} rows only incremental, {only_full} only full refresh (of {rows})"


def test_the_sync_changes_reached_the_marts(scenario):
    full: DbtResult = scenario["full"]
    assert full.query("select count(*) from main.fct_activities where activity_id like '00T9%'") == [(20,)]
    assert full.query("select count(*) from main.fct_activities where activity_id like '00T8%'") == [(5,)]
    assert full.query(f"select period_start from main.fct_activities where activity_id = '{scenario['moved_id']}'") \
        == [(scenario["moved_to"],)]
    assert full.query(f"select is_deleted, is_touch from main.fct_activities "
                      f"where activity_id = '{scenario['deleted_id']}'") == [(True, False)]


def test_incremental_run_rebuilt_only_the_touched_periods(scenario):
    for model, batch in scenario["batches"].items():
        # Exactly the periods the sync changed were rebuilt; the stored table has more.
        assert batch["batch_periods"] == scenario["touched"], model
        assert batch["stored_periods"] - scenario["touched"], model
        assert 0 < batch["batch_rows"] < batch["stored_rows"], (model, batch)
