"""A HubSpot-only build of a hand-written Fivetran-shaped export with wide real-world columns.

Every expected value below is worked out by hand from the files in
tests/fixtures/exports/hubspot_handwritten/ (the comments say how).
"""
from __future__ import annotations


import pytest

from conftest import REPO, DbtResult, run_dbt

HUBSPOT_EXPORT = REPO / "tests" / "fixtures" / "exports" / "hubspot_handwritten"
HUBSPOT_ONLY = {
    "salesforce_enabled": False,
    "hubspot_enabled": True,
    "hubspot_export_dir": str(HUBSPOT_EXPORT),
    "as_of_date": "2026-03-31",
}


@pytest.fixture(scope="module")
def hubspot_build(tmp_path_factory) -> DbtResult:
    tmp = tmp_path_factory.mktemp("hubspot")
    # salesforce_export_dir is not read when Salesforce is off; run_dbt needs a folder.
    result = run_dbt(tmp, HUBSPOT_EXPORT, extra_vars=HUBSPOT_ONLY)
    assert result.returncode == 0, result.output[-4000:]
    return result


def test_wide_export_lands_with_extra_columns_ignored(hubspot_build):
    columns = {row[0] for row in hubspot_build.query(
        "select column_name from information_schema.columns "
        "where table_schema = 'raw_hubspot' and table_name = 'company'")}
    assert "property_zip" not in columns and "property_timezone" not in columns
    assert "property_hs_merged_object_ids" in columns
    # Upper-case Fivetran headers (OWNER_ID) match the contract's owner_id.
    assert hubspot_build.query("select count(*) from raw_hubspot.owner") == [(3,)]


def test_every_hubspot_table_reconciles_and_salesforce_is_empty(hubspot_build):
    rows = hubspot_build.query(
        "select source_table, raw_rows, staged_rows, deduplicated_rows, quarantined_rows, "
        "is_reconciled from main.stg_crm__row_reconciliation where source_system = 'hubspot'")
    by_table = {row[0]: row[1:] for row in rows}
    assert len(by_table) == 21
    assert all(row[-1] for row in by_table.values()), by_table
    # company: 4 rows, 2009 merged into 2001. contact: 6 rows, 3004 merged into 3003, one without id.
    assert by_table["company"] == (4, 3, 1, 0, True)
    assert by_table["contact"] == (6, 4, 1, 1, True)
    # owner 101 twice (older re-sync dropped); deal 4004 merged into 4001.
    assert by_table["owner"] == (3, 2, 1, 0, True)
    assert by_table["deal"] == (4, 3, 1, 0, True)
    # deal_stage: 4001/qualifiedtobuy has two versions; deal 4999 does not exist.
    assert by_table["deal_stage"] == (7, 5, 1, 1, True)
    # engagement: 18 rows, 5002 re-synced, 5014 linked to nothing.
    assert by_table["engagement"] == (18, 16, 1, 1, True)
    assert by_table["engagement_company"] == (14, 14, 0, 0, True)
    # Salesforce is switched off: it is not read, so it has no rows to reconcile.
    assert hubspot_build.query(
        "select count(*) from main.stg_crm__row_reconciliation where source_system = 'salesforce'"
    ) == [(0,)]
    assert hubspot_build.query(
        "select source_table, source_id, reason_code from main.stg_crm__quarantined_rows order by 1"
    ) == [("contact", None, "missing_id"),
          ("deal_stage", "4999:appointmentscheduled:2026-03-01 10:00:00", "unknown_opportunity"),
          ("engagement", "5014", "missing_parent_keys")]


def test_owner_team_name_gives_the_book(hubspot_build):
    assert hubspot_build.query(
        "select rep_id, rep_name, rep_role, segment, is_role_defaulted from main.dim_reps order by 1"
    ) == [("101", "Ana Ruiz", "AE", "Mid-Market", False), ("102", "Ben Okafor", "SDR", "SMB", False)]


def test_deals_map_by_stage_id_or_label_and_merges_resolve(hubspot_build):
    rows = hubspot_build.query(
        "select opportunity_id, account_id, rep_id, stage_name, stage_order, is_stage_known, "
        "is_open, is_won, amount, close_date::varchar, days_in_current_stage "
        "from main.dim_opportunities order by 1")
    assert rows == [
        # default pipeline, stage id in the stage map; primary company 2001 (type 5).
        ("4001", "2001", "101", "Qualified To Buy", 2, True, True, False, 50000, "2026-04-30", 49),
        # custom stage 77001 matched by its label; company 2009 merged into 2001; epoch-ms dates;
        # entered 2026-02-25 06:13 UTC, 34 days before 2026-03-31.
        ("4002", "2001", "101", "Contract Sent", 5, True, True, False, 20000, "2026-04-30", 34),
        # owner_id empty: property_hubspot_owner_id 101.
        ("4003", "2002", "101", "Closed Won", 6, True, False, True, 10000, "2026-03-15", 16),
    ]


def test_engagements_map_to_activities(hubspot_build):
    rows = hubspot_build.query(
        "select activity_id, rep_id, account_id, activity_channel, direction, is_completed, "
        "is_touch, is_conversation, is_canceled, is_no_show, is_deleted "
        "from main.fct_activities order by activity_id")
    assert rows == [
        ("5001", "101", "2001", "call", "outbound", True, True, True, False, False, False),
        ("5002", "101", "2001", "call", "outbound", True, True, False, False, False, False),
        ("5003", "101", "2002", "email", "outbound", True, True, False, False, False, False),
        # via contact 3004, merged into 3003 (company 2002); a reply is a conversation.
        ("5004", "101", "2002", "email", "inbound", True, True, True, False, False, False),
        # via contact 3002, whose company 2009 was merged into 2001.
        ("5005", "101", "2001", "meeting", "outbound", True, True, True, False, False, False),
        ("5006", "101", "2001", "meeting", "outbound", False, False, False, False, True, False),
        ("5007", "101", "2001", "meeting", "outbound", False, False, False, True, False, False),
        ("5008", "101", "2001", "other", "outbound", True, False, False, False, False, False),
        ("5009", "101", "2001", "other", "outbound", True, False, False, False, False, False),
        ("5010", "101", "2001", "other", "outbound", False, False, False, False, False, False),
        ("5011", "102", "2002", "linkedin", "outbound", True, True, False, False, False, False),
        # no owner: kept with no rep, like a Salesforce task without owner.
        ("5012", None, "2001", "call", "outbound", True, True, True, False, False, False),
        # archived (active = false): kept, flagged, never counted.
        ("5013", "101", "2001", "call", "outbound", False, False, False, False, False, True),
        # inbound voicemail of 20 s: a touch, not a conversation.
        ("5015", "102", "2002", "call", "inbound", True, True, False, False, False, False),
        ("5017", "102", "2002", "sms", "outbound", True, True, False, False, False, False),
        # on contact 3005, which has no company: a lead activity (effort, no account).
        ("5018", "102", None, "call", "outbound", True, False, True, False, False, False),
    ]
    assert hubspot_build.query(
        "select activity_id, lead_id from main.fct_activities where is_lead_activity"
    ) == [("5018", "3005")]
    # Contacts worked as leads (a lead status, or no company) are leads; converted once they have a
    # company. 3005 came from organic search: an inbound lead.
    assert hubspot_build.query(
        "select lead_id, is_converted, converted_account_id, is_inbound from main.stg_crm__leads order by 1"
    ) == [("3001", True, "2001", False), ("3002", True, "2001", False), ("3003", True, "2002", True),
          ("3005", False, None, True)]
    # 1772332200000 ms = 2026-03-01 02:30 UTC.
    assert hubspot_build.query(
        "select activity_at::varchar from main.fct_activities where activity_id = '5015'"
    ) == [("2026-03-01 02:30:00",)]


def test_multi_company_engagement_counts_once_per_account_and_once_in_totals(hubspot_build):
    # Touches on 2001: 5001, 5002, 5005, 5012. On 2002: 5003, 5004, 5011, 5015, 5017 and 5001,
    # which is linked to both companies.
    assert hubspot_build.query(
        "select account_id, health_status, touch_count from main.account_health "
        "where period_start = '2026-03-01' order by 1"
    ) == [("2001", "yellow", 4), ("2002", "yellow", 6)]
    # In totals the engagement is one activity: 9 touches, not 10.
    assert hubspot_build.query("select count(*) from main.fct_activities where is_touch") == [(9,)]


def test_both_crms_build_side_by_side(tmp_path, handwritten_export, hubspot_build):
    # Salesforce's hand-written export and the HubSpot one in one build: each CRM's rows land
    # beside the other's, tagged by source_system, and the HubSpot rows are those of the
    # HubSpot-only build.
    both = run_dbt(tmp_path, handwritten_export, extra_vars={**HUBSPOT_ONLY, "salesforce_enabled": True})
    assert both.returncode == 0, both.output[-4000:]
    assert both.query(
        "select bool_and(is_reconciled), count(distinct source_system) from main.stg_crm__row_reconciliation"
    ) == [(True, 2)]
    hubspot_rows = "select * from main.fct_activities where source_system = 'hubspot' order by all"
    assert both.query(hubspot_rows) == hubspot_build.query(hubspot_rows)
    assert both.query(
        "select count(*) from main.fct_activities where source_system = 'salesforce'") == [(10,)]


def test_build_refuses_when_no_crm_is_enabled(tmp_path):
    result = run_dbt(tmp_path, HUBSPOT_EXPORT, command="run", extra_vars={"salesforce_enabled": False},
                     args=("--select", "stg_crm__as_of_date"))
    assert result.returncode != 0
    assert "no CRM is enabled" in result.output and "hubspot_enabled: true" in result.output
