"""The DuckDB settings of profiles.yml hold for a whole build (real dbt runs on the demo export)."""
from __future__ import annotations

import subprocess

import yaml

from conftest import REPO, dbt_invocation

DEMO_EXPORT = REPO / "data" / "demo" / "salesforce"
MODELS_ONLY = ("--exclude", "resource_type:test", "resource_type:unit_test")


def test_the_spill_folder_is_set_once_per_connection_not_per_cursor():
    # dbt-duckdb re-applies the profile's `settings` on every model's cursor, and DuckDB refuses to
    # set temp_directory again once a query spilled into it; `config_options` apply at connect.
    duckdb_target = yaml.safe_load((REPO / "profiles.yml").read_text())["sales_activity"]["outputs"]["duckdb"]
    assert "temp_directory" not in duckdb_target["settings"]
    assert "temp_directory" in duckdb_target["config_options"]


def test_a_build_that_spills_to_disk_finishes(tmp_path):
    # Under a 200 MB memory cap, with two threads, the demo build spills to the spill folder. With
    # the folder among the per-cursor settings, this build failed six or seven models with "Cannot
    # switch temporary directory after the current one has been used" in three runs of four (when
    # the spill comes, and so which cursors follow it, depends on how the two threads interleave).
    argv, env = dbt_invocation(tmp_path, DEMO_EXPORT, args=MODELS_ONLY)
    env["SALES_ACTIVITY_DUCKDB_MEMORY_LIMIT"] = "200MB"
    env["SALES_ACTIVITY_DUCKDB_TEMP_DIR"] = str(tmp_path / "spill")
    completed = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    output = completed.stdout + completed.stderr
    assert "Cannot switch temporary directory" not in output
    assert completed.returncode == 0, output[-4000:]


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
