"""The DuckDB settings of profiles.yml hold for a whole build (real dbt runs)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from conftest import DBT, REPO, dbt_invocation

sys.path.insert(0, str(REPO / "scripts"))
from benchmark import folder_bytes  # noqa: E402

DEMO_EXPORT = REPO / "data" / "demo" / "salesforce"


def test_the_spill_folder_is_set_once_per_connection_not_per_cursor():
    # dbt-duckdb re-applies the profile's `settings` on every model's cursor, and DuckDB refuses to
    # set temp_directory again once a query spilled into it; `config_options` apply at connect.
    duckdb_target = yaml.safe_load((REPO / "profiles.yml").read_text())["sales_activity"]["outputs"]["duckdb"]
    assert "temp_directory" not in duckdb_target["settings"]
    assert "temp_directory" in duckdb_target["config_options"]


# A project of its own whose first model sorts more than the memory cap holds, so it spills for
# certain; the models after it open their cursors once the spill folder is in use. (The demo build
# spills only within a narrow band of caps, just above the one where DuckDB runs out of memory, so
# a build of it under a cap proved nothing when it did not spill and failed when it ran out.)
SPILL_PROJECT = {
    "dbt_project.yml": "name: spill_check\nversion: '1.0'\nconfig-version: 2\nprofile: sales_activity\n"
                       "models:\n  spill_check:\n    +materialized: table\n",
    "models/spills.sql": "select range as n, hash(range) as shuffled from range(10000000) order by shuffled",
    **{f"models/after_spill_{n}.sql": "select count(*) as n from {{ ref('spills') }}" for n in range(1, 5)},
}


def build_that_spills(tmp_path: Path, profiles_dir: Path) -> tuple[subprocess.CompletedProcess, int]:
    """`dbt run` of SPILL_PROJECT under a 50 MB cap; returns it and the most bytes seen in the spill folder."""
    for name, text in SPILL_PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    spill = tmp_path / "spill"
    env = {**os.environ, "DBT_PROFILES_DIR": str(profiles_dir), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "SALES_ACTIVITY_TARGET": "duckdb", "SALES_ACTIVITY_DUCKDB_PATH": str(tmp_path / "spill_check.duckdb"),
           "SALES_ACTIVITY_DUCKDB_MEMORY_LIMIT": "50MB", "SALES_ACTIVITY_DUCKDB_TEMP_DIR": str(spill)}
    log = tmp_path / "dbt_run.log"
    with log.open("w") as out:
        build = subprocess.Popen([str(DBT), "run", "--project-dir", str(tmp_path)], cwd=tmp_path, env=env,
                                 stdout=out, stderr=subprocess.STDOUT)
        spilled = 0
        while build.poll() is None:
            spilled = max(spilled, folder_bytes(spill))
            time.sleep(0.05)
    return subprocess.CompletedProcess(build.args, build.returncode, log.read_text()), spilled


def test_models_after_a_spill_still_build(tmp_path):
    completed, spilled = build_that_spills(tmp_path, REPO)
    assert spilled > 50_000_000, f"the first model spilled {spilled} bytes: raise its row count"
    assert "Cannot switch temporary directory" not in completed.stdout
    assert completed.returncode == 0, completed.stdout[-4000:]
    assert "PASS=5 " in completed.stdout


def test_the_spill_folder_among_the_per_cursor_settings_fails_the_models_after_a_spill(tmp_path):
    # What the first test guards against, shown to happen: the same profile with the spill folder
    # moved to `settings`, which dbt-duckdb re-applies on every model's cursor.
    profiles = yaml.safe_load((REPO / "profiles.yml").read_text())
    duckdb_target = profiles["sales_activity"]["outputs"]["duckdb"]
    duckdb_target["settings"]["temp_directory"] = duckdb_target.pop("config_options")["temp_directory"]
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "profiles.yml").write_text(yaml.safe_dump(profiles))
    completed, _ = build_that_spills(tmp_path / "project", tmp_path / "profiles")
    assert completed.returncode != 0
    assert "Cannot switch temporary directory after the current one has been used" in completed.stdout


def test_the_spill_folder_and_memory_cap_come_from_the_environment(tmp_path):
    argv, env = dbt_invocation(tmp_path, DEMO_EXPORT, command="show", args=(
        "--inline", "select current_setting('temp_directory') as spill_folder, "
                    "current_setting('memory_limit') as memory_cap", "--output", "json"))
    env["SALES_ACTIVITY_DUCKDB_MEMORY_LIMIT"] = "3GB"
    env["SALES_ACTIVITY_DUCKDB_TEMP_DIR"] = str(tmp_path / "spill")
    completed = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout[-4000:]
    assert f'"spill_folder": "{tmp_path / "spill"}"' in completed.stdout
    assert '"memory_cap": "2.7 GiB"' in completed.stdout  # DuckDB shows 3 GB in GiB
