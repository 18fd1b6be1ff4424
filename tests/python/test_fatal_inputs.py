"""Fatal input problems stop the build with a message naming the file, column or var and the fix.

Each case copies the hand-written export, breaks one thing, and runs dbt: the run must fail, say
what is wrong in words, and show no Python traceback.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import run_dbt


@pytest.fixture()
def export(tmp_path: Path, handwritten_export: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(handwritten_export, folder)
    return folder


def assert_refused(result, *phrases: str) -> None:
    assert result.returncode != 0, result.output[-3000:]
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output, f"{phrase!r} not in:\n{result.output[-3000:]}"


def drop_column(path: Path, header: str) -> None:
    with duckdb.connect() as connection:
        connection.sql(
            f"copy (select * exclude (\"{header}\") from read_csv('{path}', header = true, all_varchar = true))"
            f" to '{path}.tmp' (header, format csv)")
    Path(f"{path}.tmp").replace(path)


def test_missing_required_column_names_file_and_column(tmp_path, export):
    drop_column(export / "task.csv", "Status")
    result = run_dbt(tmp_path, export, command="run")
    assert_refused(result, "task.csv", "missing required column(s) status")


def test_empty_file_names_the_file(tmp_path, export):
    (export / "contact.csv").write_text("")
    assert_refused(run_dbt(tmp_path, export, command="run"), "contact.csv", "is empty (0 bytes)")


def test_missing_required_object_names_it(tmp_path, export):
    (export / "account.csv").unlink()
    assert_refused(run_dbt(tmp_path, export, command="run"), "required object 'account'")


def test_two_files_for_one_object_are_refused(tmp_path, export):
    shutil.copy(export / "user.csv", export / "user.csv.gz")
    assert_refused(run_dbt(tmp_path, export, command="run"), "has several files")


def test_missing_export_folder_names_the_var(tmp_path):
    result = run_dbt(tmp_path, tmp_path / "no_such_folder", command="run")
    assert_refused(result, "no_such_folder", "salesforce_export_dir")


def test_unreadable_file_names_the_file(tmp_path, export):
    (export / "opportunity.csv").unlink()
    (export / "opportunity.parquet").write_bytes(b"this is not parquet at all")
    assert_refused(run_dbt(tmp_path, export, command="run"), "opportunity.parquet")


@pytest.mark.parametrize(("variables", "phrase"), [
    ({"report_period": "fortnight"}, "report_period = 'fortnight' must be one of week, month, quarter"),
    ({"as_of_date": "2024-01-01'; drop table x; --"}, "as_of_date = '2024-01-01'; drop table x; --'"),
    ({"as_of_date": "2026-02-30"}, "must be a real date"),
    ({"reporting_timezone": "Mars/Olympus"}, "reporting_timezone = 'Mars/Olympus' is not an IANA"),
    ({"fiscal_year_start_month": 13}, "fiscal_year_start_month = '13' must be a whole number from 1 to 12"),
])
def test_bad_var_is_refused_naming_the_var(tmp_path, export, variables, phrase):
    assert_refused(run_dbt(tmp_path, export, command="run", extra_vars=variables), phrase)


def test_absent_optional_object_is_announced_and_builds(tmp_path, export):
    result = run_dbt(tmp_path, export)
    assert result.returncode == 0, result.output[-3000:]
    assert "no file for optional object(s) quota" in result.output
    assert result.query("select count(*) from main.stg_crm__quotas") == [(0,)]
