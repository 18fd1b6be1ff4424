"""The demo export built end to end, checked against the generator's own record of the dirt it wrote.

The manifest counts what the generator injected; the build decides independently what each raw row
is. Both must agree, table by table and reason by reason.
"""
from __future__ import annotations

import json

import pytest

from conftest import REPO, DbtResult, run_dbt

DEMO = REPO / "data" / "demo" / "salesforce"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((DEMO / "generation_manifest.json").read_text())["objects"]


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory) -> DbtResult:
    tmp = tmp_path_factory.mktemp("demo")
    result = run_dbt(tmp, DEMO)
    assert result.returncode == 0, result.output[-4000:]
    return result


def test_raw_rows_and_duplicates_match_the_manifest(demo_build, manifest):
    rows = demo_build.query(
        "select source_table, raw_rows, deduplicated_rows from main.stg_crm__row_reconciliation")
    for table, raw_rows, deduplicated in rows:
        assert raw_rows == manifest[table]["rows"], table
        assert deduplicated == manifest[table]["dirt"].get("duplicates", 0), table


@pytest.mark.parametrize(("table", "reason", "dirt"), [
    ("task", "orphan_parent_keys", "orphan_only"),
    ("task", "missing_parent_keys", "unlinked"),
    ("task", "unknown_activity_type", "unknown_type"),
    ("task", "invalid_timestamp", "invalid_timestamp"),
    ("event", "orphan_parent_keys", "orphan_only"),
    ("event", "missing_parent_keys", "unlinked"),
    ("event", "invalid_timestamp", "invalid_timestamp"),
])
def test_quarantine_reasons_match_the_injected_dirt(demo_build, manifest, table, reason, dirt):
    count = demo_build.query(
        f"select count(*) from main.stg_crm__quarantined_rows "
        f"where source_table = '{table}' and reason_code = '{reason}'")[0][0]
    assert count == manifest[table]["dirt"][dirt]


def test_nothing_else_is_quarantined(demo_build, manifest):
    expected = sum(manifest[table]["dirt"].get(dirt, 0) for table in ("task", "event")
                   for dirt in ("orphan_only", "unlinked", "unknown_type", "invalid_timestamp"))
    assert demo_build.query("select count(*) from main.stg_crm__quarantined_rows") == [(expected,)]


def test_deleted_flags_survive_staging(demo_build, manifest):
    deleted = dict(demo_build.query(
        "select source_table, count(*) from main.stg_crm__activities where is_deleted group by all"))
    for table in ("task", "event"):
        dirt = manifest[table]["dirt"]
        assert deleted[table] == dirt.get("deleted", 0) + dirt.get("fivetran_deleted", 0), table


def test_flagged_opportunity_dirt_matches(demo_build, manifest):
    dirt = manifest["opportunity"]["dirt"]
    assert demo_build.query(
        "select count(*) filter (where is_amount_invalid), count(*) filter (where not is_stage_known) "
        "from main.stg_crm__opportunities") == [(dirt["negative_amount"], dirt["unknown_stage"])]


def test_null_owners_are_kept(demo_build, manifest):
    null_owned = dict(demo_build.query(
        "select source_table, count(*) from main.stg_crm__activities where rep_id is null group by all"))
    assert null_owned == {"task": manifest["task"]["dirt"]["null_owner"],
                          "event": manifest["event"]["dirt"]["null_owner"]}
