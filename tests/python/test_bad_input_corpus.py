"""The bad-input corpus: every case of tests/fixtures/bad_inputs/cases.yml, run and checked.

Each case names a bad input and the outcome the build owes it: quarantined with a reason code,
de-duplicated, kept (and flagged where the docs say so), or refused with a message that names the
file, column or var (non-zero exit, no model run, no traceback). This module checks the inventory
and the inputs the build survives: one build of the dirty export for all row-level cases, one
staging build for the file-shape cases. The refused inputs (exports, vars, seeds) are in
test_fatal_inputs.py.
"""
from __future__ import annotations

import datetime
import decimal
import shutil

import pytest

from conftest import BAD_INPUTS, REPO, DbtResult, bad_input_cases, run_dbt

INVENTORY = bad_input_cases()
CASES = INVENTORY["cases"]
FAMILIES = ("dirty_export", "shapes_export", "refused_export", "refused_vars", "seed_config")
HANDWRITTEN = REPO / "tests" / "fixtures" / "exports" / "handwritten_api_names"


def cases_of(family: str) -> list:
    """pytest params of one family; a case with `xfail` is marked with its reason (strict: it
    must start passing when the bug it names is fixed)."""
    return [
        pytest.param(case, id=case["id"], marks=[pytest.mark.xfail(reason=case["xfail"], strict=True)]
                     if case.get("xfail") else [])
        for case in CASES if case["family"] == family
    ]


def plain(value: object) -> object:
    """Query results as YAML writes them: numbers and times compared as text."""
    if isinstance(value, (decimal.Decimal, datetime.date, datetime.datetime)):
        return str(value)
    return value


def assert_check(build: DbtResult, case: dict) -> None:
    rows = [[plain(value) for value in row] for row in build.query(case["check"]["sql"])]
    assert rows == case["check"]["rows"], case["description"]


def assert_quarantined(build: DbtResult, case: dict) -> None:
    expected = case["quarantine"]
    condition = "source_id is null" if expected["source_id"] is None else f"source_id = '{expected['source_id']}'"
    rows = build.query(
        "select reason_code, reason_detail from main.stg_crm__quarantined_rows "
        f"where source_system = 'salesforce' and source_table = '{expected['table']}' and {condition} "
        f"and reason_code = '{expected['reason_code']}'")
    assert len(rows) == 1, f"{case['id']}: no single {expected} in quarantine"
    assert expected.get("detail", "") in rows[0][1]


def assert_refused(output: str, phrases: list[str], absent: tuple[str, ...] = ()) -> None:
    assert "Traceback" not in output
    assert "OK created" not in output, "a model ran although the input was refused"
    for phrase in phrases:
        assert phrase in output, f"{phrase!r} not in:\n{output[-3000:]}"
    for phrase in absent:
        assert phrase not in output, f"{phrase!r} in:\n{output[-3000:]}"


# ---------------------------------------------------------------------------- the inventory


def test_inventory_has_at_least_40_distinct_cases_each_exercised():
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)), "case ids must be distinct"
    assert len(ids) >= 40
    for case in CASES:
        assert case["family"] in FAMILIES, case["id"]
        assert case["description"] and case["outcome"], case["id"]
        checks = {
            "quarantined": "quarantine", "deduplicated": "check", "kept": "check",
            "kept_flagged": "check", "refused": "message", "seed_test_failed": "failing_test",
        }
        assert checks[case["outcome"]] in case, f"{case['id']}: outcome {case['outcome']} without its assertion"
        if "fixture" in case:
            assert (BAD_INPUTS / case["fixture"]).exists(), case["fixture"]
    collected = {param.id for family in FAMILIES for param in cases_of(family)}
    assert collected == set(ids)


def test_dirty_export_rows_are_all_claimed_by_a_case(dirty_export_build):
    """Every quarantined row of the dirty export is a documented case, and no case is missing."""
    quarantined = {tuple(row) for row in dirty_export_build.query(
        "select source_table, source_id, reason_code from main.stg_crm__quarantined_rows "
        "where source_system = 'salesforce'")}
    documented = {(case["quarantine"]["table"], case["quarantine"]["source_id"], case["quarantine"]["reason_code"])
                  for case in CASES if case["family"] == "dirty_export" and "quarantine" in case}
    assert quarantined == documented


# ---------------------------------------------------------------------------- dirty export


@pytest.mark.parametrize("case", cases_of("dirty_export"))
def test_dirty_export_case(dirty_export_build, case):
    if "quarantine" in case:
        assert_quarantined(dirty_export_build, case)
    if "check" in case:
        assert_check(dirty_export_build, case)


def test_dirty_export_reconciles(dirty_export_build):
    """raw = staged + de-duplicated + quarantined per table, with counts taken by hand from
    tests/fixtures/bad_inputs/dirty_export/ (rows, re-sync repeats, rows of a quarantine case)."""
    expected = {  # (raw, staged, de-duplicated, quarantined)
        "user": (5, 3, 1, 1), "user_role": (3, 2, 0, 1), "account": (7, 6, 1, 0),
        "contact": (7, 6, 1, 0), "lead": (4, 2, 0, 2), "task": (31, 19, 3, 9),
        "event": (5, 3, 0, 2), "opportunity": (10, 8, 0, 2), "opportunity_history": (10, 7, 0, 3),
        "quota": (6, 2, 1, 3),
    }
    rows = dirty_export_build.query(
        "select source_table, raw_rows, staged_rows, deduplicated_rows, quarantined_rows, is_reconciled "
        "from main.stg_crm__row_reconciliation where source_system = 'salesforce'")
    assert {row[0]: tuple(row[1:5]) for row in rows} == expected
    assert all(row[5] for row in rows)
    assert "PASS assert_raw_rows_reconcile" in dirty_export_build.output


# ---------------------------------------------------------------------------- shapes export


@pytest.fixture(scope="module")
def shapes_build(tmp_path_factory) -> DbtResult:
    tmp = tmp_path_factory.mktemp("shapes")
    export = tmp / "export"
    shutil.copytree(HANDWRITTEN, export)
    for path in (BAD_INPUTS / "shapes_export").iterdir():
        shutil.copy(path, export / path.name)
    result = run_dbt(tmp, export, args=(
        "--select", "+stg_crm__row_reconciliation", "assert_raw_rows_reconcile",
        "--indirect-selection", "cautious", "--exclude", "test_type:unit"))
    assert result.returncode == 0, result.output[-4000:]
    assert "PASS assert_raw_rows_reconcile" in result.output
    return result


@pytest.mark.parametrize("case", cases_of("shapes_export"))
def test_shapes_export_case(shapes_build, case):
    for phrase in case.get("output", []):
        assert phrase in shapes_build.output
    assert_check(shapes_build, case)
