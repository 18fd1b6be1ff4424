"""Shared helpers: run the project's dbt against an export folder in a throw-away DuckDB file."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")


@dataclass
class DbtResult:
    returncode: int
    output: str
    database: Path

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.sql(sql).fetchall()


def dbt_invocation(tmp_path: Path, export_dir: Path, command: str = "build", extra_vars: dict | None = None,
                   args: tuple[str, ...] = ("--exclude", "test_type:unit")) -> tuple[list[str], dict[str, str]]:
    """The argv and environment of `dbt <command>` on `export_dir`, into tmp_path's own DuckDB file
    (`sales_activity.duckdb`) and target folder (`target/`)."""
    variables = {"salesforce_export_dir": str(export_dir), **(extra_vars or {})}
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "SALES_ACTIVITY_DUCKDB_PATH": str(tmp_path / "sales_activity.duckdb"),
    }
    argv = [str(DBT), command, "--vars", json.dumps(variables),
            "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"), *args]
    return argv, env


def run_dbt(tmp_path: Path, export_dir: Path, command: str = "build", extra_vars: dict | None = None,
            args: tuple[str, ...] = ("--exclude", "test_type:unit")) -> DbtResult:
    """Run `dbt <command>` on `export_dir` into its own DuckDB file and target folder.

    Unit tests do not depend on the export, so by default they are left to `make dbt-build`.
    """
    argv, env = dbt_invocation(tmp_path, export_dir, command, extra_vars, args)
    completed = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    return DbtResult(completed.returncode, completed.stdout + completed.stderr,
                     tmp_path / "sales_activity.duckdb")


def write_csv(folder: Path, name: str, header: list[str], rows: list[list[object]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if value is None else value for value in row] for row in rows)
    return path


@pytest.fixture(scope="session")
def handwritten_export() -> Path:
    return REPO / "tests" / "fixtures" / "exports" / "handwritten_api_names"


BAD_INPUTS = REPO / "tests" / "fixtures" / "bad_inputs"


def bad_input_cases() -> dict:
    """The bad-input corpus inventory (tests/fixtures/bad_inputs/cases.yml)."""
    import yaml

    with (BAD_INPUTS / "cases.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="session")
def dirty_export_build(tmp_path_factory) -> DbtResult:
    """One `dbt build` of the dirty export of the bad-input corpus (shared by the corpus and the
    privacy tests). The 1 MB text field is written here rather than stored in the repo."""
    import shutil

    tmp = tmp_path_factory.mktemp("dirty_export")
    export = tmp / "export"
    shutil.copytree(BAD_INPUTS / "dirty_export", export)
    task = export / "task.csv"
    task.write_bytes(task.read_bytes().replace(b"__HUGE_TEXT__", b"x" * 1024 * 1024))
    result = run_dbt(tmp, export, extra_vars=bad_input_cases()["dirty_export_vars"])
    assert result.returncode == 0, result.output[-4000:]
    return result
