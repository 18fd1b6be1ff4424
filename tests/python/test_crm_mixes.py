"""The marts built from a HubSpot-only export and from a mixed export (some teams in HubSpot, the rest
in Salesforce), both written by scripts/generate_demo_data.py; the Salesforce-only build is the main one.

The generator's manifest counts the dirt it wrote; the build decides on its own what each raw row is.
Both must agree table by table and reason by reason, every public mart must have rows, and in the mixed
build the marts must hold the reps of both CRMs.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, DbtResult, dbt_invocation

SCRIPT = REPO / "scripts" / "generate_demo_data.py"
ACTIVITIES = "3000"  # small: both builds together stay well under two minutes on a laptop
PUBLIC_MARTS = ("account_health", "rep_scorecard", "stalled_deals", "fct_opportunity_stage_intervals",
                "pipeline_conversion", "pipeline_conversion_rollups", "speed_to_lead", "fct_activities",
                "dim_accounts", "dim_contacts", "dim_reps", "dim_opportunities", "dim_periods")
# Quarantine reason of the build <- the generator's dirt kind that causes it (per source table).
QUARANTINE_CAUSES = {
    "hubspot": {"engagement": {"orphan_parent_keys": "orphan_only", "missing_parent_keys": "unlinked",
                               "unknown_activity_type": "unknown_type"}},
    "salesforce": {"task": {"orphan_parent_keys": "orphan_only", "missing_parent_keys": "unlinked",
                            "unknown_activity_type": "unknown_type", "invalid_timestamp": "invalid_timestamp"},
                   "event": {"orphan_parent_keys": "orphan_only", "missing_parent_keys": "unlinked",
                             "invalid_timestamp": "invalid_timestamp"}},
}
# Rows that collapse into another record of the same file: re-sync copies and merged-away records.
DEDUPLICATING_DIRT = ("duplicates", "merged_away_rows")


def generate(out: Path, crm: str) -> None:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--crm", crm, "--activities", ACTIVITIES, "--out", str(out), "--quiet"],
        capture_output=True, text=True, check=False, timeout=120)
    assert completed.returncode == 0, completed.stderr


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[DbtResult, dict[str, dict]]]:
    """Both exports generated, then both dbt builds run at once (each in its own DuckDB file)."""
    root = tmp_path_factory.mktemp("crm_mixes")
    hubspot, mixed = root / "hubspot_export", root / "mixed_export"
    generate(hubspot, "hubspot")
    generate(mixed, "mixed")
    plans = {
        "hubspot": (hubspot, {"salesforce_enabled": False, "hubspot_enabled": True,
                              "hubspot_export_dir": str(hubspot)}, {"hubspot": hubspot}),
        "mixed": (mixed / "salesforce", {"salesforce_enabled": True, "hubspot_enabled": True,
                                         "hubspot_export_dir": str(mixed / "hubspot")},
                  {"salesforce": mixed / "salesforce", "hubspot": mixed / "hubspot"}),
    }
    running = {}
    for name, (export, variables, _) in plans.items():
        (root / name).mkdir()
        argv, env = dbt_invocation(root / name, export, extra_vars=variables)
        running[name] = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         text=True)
    results = {}
    for name, process in running.items():
        output, _ = process.communicate(timeout=900)
        manifests = {crm: json.loads((folder / "generation_manifest.json").read_text(encoding="utf-8"))["objects"]
                     for crm, folder in plans[name][2].items()}
        results[name] = (DbtResult(process.returncode, output, root / name / "sales_activity.duckdb"), manifests)
    return results


@pytest.fixture(scope="module", params=["hubspot", "mixed"])
def build(request, builds) -> tuple[str, DbtResult, dict[str, dict]]:
    result, manifests = builds[request.param]
    return request.param, result, manifests


def test_the_build_passes_every_data_test(build):
    name, result, _ = build
    assert result.returncode == 0, f"{name} build failed:\n{result.output[-6000:]}"


def built(build, *relations: str) -> tuple[DbtResult, dict[str, dict]]:
    """The build's database and manifests; fails naming what the build did not create."""
    name, result, manifests = build
    if not result.database.exists():
        pytest.fail(f"the {name} build wrote no database:\n{result.output[-3000:]}")
    present = {row[0] for row in result.query("select table_name from information_schema.tables")}
    missing = [relation for relation in relations if relation not in present]
    if missing:
        pytest.fail(f"the {name} build did not create {', '.join(missing)} (see its build test)")
    return result, manifests


def test_every_raw_row_is_staged_de_duplicated_or_quarantined(build):
    result, manifests = built(build, "stg_crm__row_reconciliation")
    rows = result.query("select source_system, source_table, raw_rows, staged_rows, deduplicated_rows, "
                        "quarantined_rows from main.stg_crm__row_reconciliation")
    for crm, objects in manifests.items():
        seen = {table: rest for system, table, *rest in rows if system == crm}
        assert set(seen) == set(objects), crm
        for table, (raw, staged, deduplicated, quarantined) in seen.items():
            assert raw == staged + deduplicated + quarantined, (crm, table)
            assert raw == objects[table]["rows"], (crm, table)
            dirt = objects[table]["dirt"]
            assert deduplicated == sum(dirt.get(kind, 0) for kind in DEDUPLICATING_DIRT), (crm, table)


def test_quarantine_reasons_match_the_injected_dirt(build):
    result, manifests = built(build, "stg_crm__quarantined_rows")
    found = {(system, table, reason): count for system, table, reason, count in result.query(
        "select source_system, source_table, reason_code, count(*) from main.stg_crm__quarantined_rows "
        "group by all")}
    expected = {}
    for crm, objects in manifests.items():
        for table, causes in QUARANTINE_CAUSES[crm].items():
            for reason, kind in causes.items():
                count = objects[table]["dirt"].get(kind, 0)
                if count:
                    expected[(crm, table, reason)] = count
    leads = manifests["hubspot"]["engagement"]["dirt"].get("unconverted_lead_engagements", 0)
    assert found == expected, (f"quarantined (build) {found} != injected (generator) {expected}; "
                               f"engagements on lead contacts without a company (lead activities, staged unless "
                               f"other dirt quarantines them): {leads}")
    if build[0] == "hubspot":  # the small mixed export may draw none of a kind; this one has each
        dirt = manifests["hubspot"]["engagement"]["dirt"]
        assert all(dirt.get(kind, 0) > 0 for kind in QUARANTINE_CAUSES["hubspot"]["engagement"].values())


def test_every_public_mart_has_rows(build):
    result, _ = built(build, *PUBLIC_MARTS)
    for mart in PUBLIC_MARTS:
        assert result.query(f"select count(*) from main.{mart}")[0][0] > 0, mart


def test_mixed_marts_hold_the_reps_of_both_crms(builds):
    result, _ = built(("mixed", *builds["mixed"]), *PUBLIC_MARTS)
    both = {"salesforce", "hubspot"}
    for mart in PUBLIC_MARTS:
        columns = {row[0] for row in result.query(
            f"select column_name from information_schema.columns where table_name = '{mart}'")}
        if "source_system" in columns:
            sql = f"select distinct source_system from main.{mart}"
        elif "rep_id" in columns:
            sql = (f"select distinct reps.source_system from main.{mart} as mart "
                   f"join main.dim_reps as reps on mart.rep_id = reps.rep_id")
        elif mart == "pipeline_conversion_rollups":  # the SMB teams work in HubSpot, the others in Salesforce
            sql = ("select distinct case when rollup_key = 'SMB' then 'hubspot' else 'salesforce' end "
                   "from main.pipeline_conversion_rollups where rollup_level = 'segment'")
        else:
            continue  # dim_periods: the calendar, no CRM
        assert {row[0] for row in result.query(sql)} == both, mart
