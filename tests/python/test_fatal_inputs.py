"""Fatal inputs of the bad-input corpus (tests/fixtures/bad_inputs/cases.yml): refused, named.

A refused export, var or seed must stop the build with a non-zero exit and a message naming the
file, column, var or seed test (and, for seeds, the bad row in the stored failures), with no model
run and no Python traceback. Runs are batched: one `dbt run` per refused export, all from one
folder with the same vars so dbt re-uses its parse; one run per batch of bad vars (every bad var
is named in one message); one seed build of a throw-away project copy holding every bad seed row.
"""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import BAD_INPUTS, REPO, dbt_invocation, run_dbt
from test_bad_input_corpus import CASES, HANDWRITTEN, assert_refused, cases_of


# ---------------------------------------------------------------------------- refused exports


@pytest.fixture(scope="module")
def refused_workspace(tmp_path_factory) -> Path:
    """One folder and target for every refused export: same vars, so dbt parses once."""
    return tmp_path_factory.mktemp("refused")


@pytest.mark.parametrize("case", cases_of("refused_export"))
def test_refused_export_case(refused_workspace, case):
    # A quote in the folder name: every case also shows the path reaches SQL escaped.
    export = refused_workspace / "export'; drop table x; --"
    shutil.rmtree(export, ignore_errors=True)
    if case.get("export_dir") != "missing":
        shutil.copytree(HANDWRITTEN, export)
        for name in case.get("remove", []):
            (export / name).unlink()
        if "fixture" in case:
            for path in (BAD_INPUTS / case["fixture"]).iterdir():
                shutil.copy(path, export / path.name)
    # The smallest run that passes the landing and the as-of date: a refused input stops before it.
    result = run_dbt(refused_workspace, export, command="run", args=("--select", "+stg_crm__as_of_date"))
    assert result.returncode != 0, result.output[-3000:]
    assert_refused(result.output, case["message"], tuple(case.get("not_in_output", ())))


# ---------------------------------------------------------------------------- refused vars


@pytest.fixture(scope="module")
def var_batches(tmp_path_factory) -> dict:
    """One `dbt run` per batch of bad vars: validate_vars names every bad var in one message."""
    results = {}
    for batch in sorted({case["batch"] for case in CASES if case["family"] == "refused_vars"}):
        variables = {}
        for case in CASES:
            if case["family"] == "refused_vars" and case["batch"] == batch:
                assert not set(variables) & set(case["vars"]), f"batch {batch} sets a var twice"
                variables.update(case["vars"])
        tmp = tmp_path_factory.mktemp(f"vars_{batch}")
        results[batch] = run_dbt(tmp, HANDWRITTEN, command="run", extra_vars=variables)
    return results


@pytest.mark.parametrize("case", cases_of("refused_vars"))
def test_refused_var_case(var_batches, case):
    result = var_batches[case["batch"]]
    assert result.returncode != 0, result.output[-3000:]
    assert_refused(result.output, ["Invalid var(s)", *case["message"]])
    if result.database.exists():  # dbt may not even open the database before refusing
        with duckdb.connect(str(result.database), read_only=True) as connection:
            assert connection.sql(
                "select count(*) from information_schema.tables where table_schema = 'main'").fetchall() == [(0,)]


# ---------------------------------------------------------------------------- seed config


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory) -> dict:
    """The seeds of a throw-away copy of the project with every bad row appended, built with
    their data tests; failing tests store their rows so the bad row can be read back."""
    tmp = tmp_path_factory.mktemp("seeds")
    project = tmp / "project"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(
        ".venv", ".git", "target", "logs", "data", "fixtures", "python", "docs", "gates", "scripts"))
    for case in CASES:
        if case["family"] == "seed_config":
            with (project / "seeds" / f"{case['seed']}.csv").open("a", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerow(next(csv.reader([case["append"]])))
    argv, env = dbt_invocation(tmp, HANDWRITTEN, args=("--select", "resource_type:seed", "--store-failures"))
    completed = subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True, check=False)
    results = json.loads((tmp / "target" / "run_results.json").read_text())["results"]
    manifest = json.loads((tmp / "target" / "manifest.json").read_text())["nodes"]
    return {"returncode": completed.returncode, "output": completed.stdout + completed.stderr,
            "results": results, "nodes": manifest, "database": tmp / "sales_activity.duckdb"}


@pytest.mark.parametrize("case", cases_of("seed_config"))
def test_seed_config_case(seed_build, case):
    assert seed_build["returncode"] != 0
    assert "Traceback" not in seed_build["output"]
    failed = [result["unique_id"] for result in seed_build["results"]
              if result["status"] == "fail"
              and seed_build["nodes"][result["unique_id"]]["name"].startswith(case["failing_test"])
              and seed_build["nodes"][result["unique_id"]]["attached_node"] == f"seed.sales_activity.{case['seed']}"]
    assert len(failed) == 1, f"no failing {case['failing_test']} on seed {case['seed']}"
    node = seed_build["nodes"][failed[0]]
    assert f"Failure in test {node['name']}" in seed_build["output"]
    with duckdb.connect(str(seed_build["database"]), read_only=True) as connection:
        stored = connection.sql(f"select * from {node['relation_name']}").fetchall()
    assert any(case["bad_value"] in (str(value) for value in row) for row in stored), stored
