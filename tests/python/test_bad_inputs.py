"""A hand-written dirty Salesforce export: every bad input must end up somewhere, named.

One build of the export below; each test asserts where one kind of bad row went and why, and the
reconciliation raw = staged + de-duplicated + quarantined is checked per table at the end.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DbtResult, run_dbt, write_csv

TS = "2026-03-02T10:00:00.000+0000"
TASK_HEADER = ["Id", "OwnerId", "WhoId", "WhatId", "AccountId", "Type", "TaskSubtype", "Status",
               "IsClosed", "ActivityDate", "CompletedDateTime", "CallType", "CallDisposition",
               "CreatedDate", "SystemModstamp", "IsDeleted", "Sequence__c"]


def task(task_id, who=None, what=None, account="001ACC1", owner="005REP1", type_="Call",
         subtype="Call", status="Completed", closed="true", due="2026-03-02", done=TS,
         modstamp=TS, deleted="false", disposition="Connected"):
    return [task_id, owner, who, what, account, type_, subtype, status, closed, due, done,
            "Outbound", disposition, "2026-03-02T09:00:00.000+0000", modstamp, deleted, "step"]


def write_dirty_export(folder: Path) -> None:
    write_csv(folder, "user", ["Id", "Name", "UserRoleId", "IsActive"], [
        ["005REP1", "Rita Rep", "00EROLE1", "true"],
        ["005REP2", "Sam Rep", "00EROLE1", "true"],
    ])
    write_csv(folder, "user_role", ["Id", "Name"], [["00EROLE1", "Mid-Market AE"]])
    write_csv(folder, "account", ["Id", "OwnerId", "Name", "IsDeleted", "Account_Score__c",
                                  "SystemModstamp"], [
        ["001ACC1", "005REP1", "Acme", "false", "80", TS],
        ["001ACC2", None, "No Owner Inc", "false", "abc", TS],           # NULL owner, bad score
        ["001ACC3", "005GHOST", "Ghost Owned", "false", "140", TS],     # owner not a user
        ["001ACC4", "005REP2", "Deleted Co", "true", "50", TS],         # soft-deleted
    ])
    write_csv(folder, "contact", ["Id", "AccountId", "Title", "Email", "IsDeleted"], [
        ["003CON1", "001ACC1", "VP Marketing", "a@acme.example", "false"],
        ["003CON2", "001GONE", "CTO", "b@gone.example", "false"],       # orphan account
    ])
    write_csv(folder, "lead", ["Id", "CreatedDate", "LeadSource", "IsConverted"], [
        ["00QLEAD1", "2026-03-01T08:00:00Z", "Web", "false"],
        ["00QLEAD2", "yesterday", "Web", "false"],                      # unreadable created date
    ])
    write_csv(folder, "task", TASK_HEADER, [
        task("00TDUP1", who="003CON1", modstamp="2026-03-02T10:00:00.000+0000", disposition="No Answer"),
        task("00TDUP1", who="003CON1", modstamp="2026-03-03T10:00:00.000+0000", disposition="Connected"),
        task("00TEQ1", who="003CON1", disposition="Busy"),
        task("00TEQ1", who="003CON1", disposition="Connected"),          # equal modstamp, last wins
        task("00TDEL1", who="003CON1", deleted="true"),
        task(None, who="003CON1"),                                       # missing id
        task("00TBADTS", who="003CON1", done="2026-13-45 25:61:00"),     # impossible timestamp
        task("00TOFFSET", who="003CON1", done="2026-03-02T01:30:00+02:00"),
        task("00TORPHAN", who="003NOBODY", account=None),                # orphan who, nothing else
        task("00TNOKEYS", account=None),                                 # no parent keys at all
        task("00TFAX", who="003CON1", type_="Fax", subtype=None),        # unknown type
        task("00TNOOWNER", who="003CON1", owner=None),                   # NULL owner
        task("00TFUTURE", who="003CON1", done="2026-04-30T10:00:00.000+0000"),  # completed in future
        task("00TVIACON", who="003CON1", account="001NOTREAL"),          # orphan account, good contact
        task("00TLEAD", who="00QLEAD1", account=None),                   # unconverted lead activity
        task("00TSPELL", who="003CON1", type_="LinkedIn InMail", subtype="Task"),
    ])
    # event has no EndDateTime column at all: an optional column that lands as NULL.
    write_csv(folder, "event", ["Id", "OwnerId", "WhoId", "AccountId", "Type", "StartDateTime",
                                "CreatedDate", "Event_Status__c"], [
        ["00UMEET1", "005REP1", "003CON1", "001ACC1", "Meeting", "2026-03-02T15:00:00Z", TS, "No Show"],
        ["00UMEET2", "005REP1", "003CON1", "001ACC1", "Meeting", "", TS, "Completed"],  # no start
    ])
    write_csv(folder, "opportunity", ["Id", "AccountId", "OwnerId", "StageName", "Amount",
                                      "CloseDate", "CreatedDate"], [
        ["006OPP1", "001ACC1", "005REP1", "Prospecting", "-250", "2026-04-30", TS],    # negative
        ["006OPP2", "001ACC1", "005REP1", "Legal Review", "1000", "2026-04-30", TS],   # unknown stage
        ["006OPP3", "001ACC1", "005REP1", "Prospecting", "1000", "2026-04-30", ""],    # no created
    ])
    write_csv(folder, "opportunity_history", ["Id", "OpportunityId", "StageName", "CreatedDate"], [
        ["008H1", "006OPP1", "Prospecting", TS],
        ["008H2", "006NOPE", "Prospecting", TS],                         # unknown opportunity
    ])
    write_csv(folder, "quota", ["user_id", "period_start", "period_type", "amount"], [
        ["005REP1", "2026-01-01", "quarter", "90000"],
        ["005REP1", "2026-01-01", "year", "90000"],                      # bad period type
    ])


@pytest.fixture(scope="module")
def dirty_build(tmp_path_factory) -> DbtResult:
    tmp = tmp_path_factory.mktemp("dirty")
    write_dirty_export(tmp / "export")
    result = run_dbt(tmp, tmp / "export", extra_vars={"as_of_date": "2026-03-31"})
    assert result.returncode == 0, result.output[-4000:]
    return result


def quarantine_reason(build: DbtResult, table: str, source_id: str | None) -> list[str]:
    condition = "source_id is null" if source_id is None else f"source_id = '{source_id}'"
    return [row[0] for row in build.query(
        f"select reason_code from main.stg_crm__quarantined_rows "
        f"where source_table = '{table}' and {condition}")]


def activity(build: DbtResult, activity_id: str, columns: str) -> tuple | None:
    rows = build.query(f"select {columns} from main.stg_crm__activities where activity_id = '{activity_id}'")
    return rows[0] if rows else None


def test_resync_duplicate_keeps_newest_version(dirty_build):
    assert dirty_build.query(
        "select call_disposition from main.stg_salesforce__tasks where task_id = '00TDUP1'"
    ) == [("Connected",)]


def test_equal_modstamps_keep_last_row_in_file(dirty_build):
    assert dirty_build.query(
        "select call_disposition from main.stg_salesforce__tasks where task_id = '00TEQ1'"
    ) == [("Connected",)]


def test_soft_deleted_activity_is_staged_but_never_a_touch(dirty_build):
    assert activity(dirty_build, "00TDEL1", "is_deleted, is_touch") == (True, False)


def test_missing_id_is_quarantined(dirty_build):
    assert quarantine_reason(dirty_build, "task", None) == ["missing_id"]


def test_impossible_timestamp_is_quarantined_with_its_value(dirty_build):
    assert quarantine_reason(dirty_build, "task", "00TBADTS") == ["invalid_timestamp"]
    detail = dirty_build.query(
        "select reason_detail from main.stg_crm__quarantined_rows where source_id = '00TBADTS'")
    assert "2026-13-45 25:61:00" in detail[0][0]


def test_offset_timestamp_is_stored_in_utc(dirty_build):
    assert str(activity(dirty_build, "00TOFFSET", "activity_at")[0]) == "2026-03-01 23:30:00"


def test_orphan_and_missing_parent_keys_are_quarantined(dirty_build):
    assert quarantine_reason(dirty_build, "task", "00TORPHAN") == ["orphan_parent_keys"]
    assert quarantine_reason(dirty_build, "task", "00TNOKEYS") == ["missing_parent_keys"]


def test_unknown_activity_type_is_quarantined(dirty_build):
    assert quarantine_reason(dirty_build, "task", "00TFAX") == ["unknown_activity_type"]


def test_null_owner_is_kept(dirty_build):
    assert activity(dirty_build, "00TNOOWNER", "rep_id, is_touch") == (None, True)
    assert dirty_build.query(
        "select rep_id from main.stg_crm__accounts where account_id = '001ACC2'") == [(None,)]


def test_owner_that_is_not_a_user_is_flagged(dirty_build):
    assert dirty_build.query(
        "select is_owner_unknown from main.stg_crm__accounts where account_id = '001ACC3'"
    ) == [(True,)]


def test_out_of_range_or_unreadable_account_score_is_null(dirty_build):
    scores = dict(dirty_build.query("select account_id, account_score from main.stg_crm__accounts"))
    assert scores["001ACC2"] is None and scores["001ACC3"] is None and float(scores["001ACC1"]) == 80


def test_future_completed_task_does_not_count(dirty_build):
    assert activity(dirty_build, "00TFUTURE", "is_future_dated, is_completed") == (True, False)


def test_orphan_account_id_falls_through_to_contact(dirty_build):
    assert activity(dirty_build, "00TVIACON", "account_id, account_resolved_via") == ("001ACC1", "contact")


def test_unconverted_lead_activity_is_kept_without_account(dirty_build):
    assert activity(dirty_build, "00TLEAD", "account_id, lead_id, is_lead_activity") == (
        None, "00QLEAD1", True)


def test_type_spelling_is_mapped(dirty_build):
    assert activity(dirty_build, "00TSPELL", "activity_channel") == ("linkedin",)


def test_no_show_meeting_is_not_completed_and_missing_start_is_quarantined(dirty_build):
    assert activity(dirty_build, "00UMEET1", "is_no_show, is_completed") == (True, False)
    assert quarantine_reason(dirty_build, "event", "00UMEET2") == ["missing_start_date_time"]


def test_negative_amount_is_null_and_flagged(dirty_build):
    assert dirty_build.query(
        "select amount, is_amount_invalid from main.stg_crm__opportunities where opportunity_id = '006OPP1'"
    ) == [(None, True)]


def test_unknown_stage_is_kept_and_flagged(dirty_build):
    assert dirty_build.query(
        "select is_stage_known, is_open from main.stg_crm__opportunities where opportunity_id = '006OPP2'"
    ) == [(False, True)]


def test_opportunity_without_created_date_is_quarantined(dirty_build):
    assert quarantine_reason(dirty_build, "opportunity", "006OPP3") == ["missing_created_date"]


def test_history_of_unknown_opportunity_is_quarantined(dirty_build):
    assert quarantine_reason(dirty_build, "opportunity_history", "008H2") == ["unknown_opportunity"]


def test_unreadable_lead_created_date_is_quarantined(dirty_build):
    assert quarantine_reason(dirty_build, "lead", "00QLEAD2") == ["invalid_timestamp"]


def test_quota_with_unknown_period_type_is_quarantined(dirty_build):
    reasons = dirty_build.query(
        "select reason_code from main.stg_crm__quarantined_rows where source_table = 'quota'")
    assert reasons == [("invalid_period_type",)]


def test_missing_optional_column_lands_as_null(dirty_build):
    assert dirty_build.query("select count(*) from main.stg_salesforce__events where ends_at is not null") == [(0,)]


def test_every_raw_row_is_accounted_for(dirty_build):
    expected = {  # hand-counted from write_dirty_export: (raw, staged, de-duplicated, quarantined)
        "user": (2, 2, 0, 0), "user_role": (1, 1, 0, 0), "account": (4, 4, 0, 0),
        "contact": (2, 2, 0, 0), "lead": (2, 1, 0, 1), "task": (16, 9, 2, 5),
        "event": (2, 1, 0, 1), "opportunity": (3, 2, 0, 1), "opportunity_history": (2, 1, 0, 1),
        "quota": (2, 1, 0, 1),
    }
    rows = dirty_build.query(
        "select source_table, raw_rows, staged_rows, deduplicated_rows, quarantined_rows "
        "from main.stg_crm__row_reconciliation")
    assert {row[0]: tuple(row[1:]) for row in rows} == expected
