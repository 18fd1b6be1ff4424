"""The Great Expectations gates: the input gate on the raw export, the output gate on the marts."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, DbtResult, run_dbt, write_csv

SCRIPT = REPO / "scripts" / "data_gates.py"
DEMO_EXPORT = REPO / "data" / "demo" / "salesforce"


def run_gate(gate: str, work: Path, database: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run one gate with every output (database, docs, dbt target) under `work`."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), gate, "--duckdb-path", str(database), "--docs-dir", str(work / "docs"),
         "--dbt-target-path", str(work / "gates_dbt"), *extra],
        cwd=REPO, capture_output=True, text=True, check=False,
    )


def small_export(folder: Path, task_header: list[str] | None = None) -> Path:
    """A hand-made export that breaks one expectation of each kind, one object per kind."""
    write_csv(folder, "user", ["Id", "Name"], [["U1", "Rep One"]])
    # One of two accounts has no id: id present 0.5 < 1.0.
    write_csv(folder, "account", ["Id", "OwnerId", "Name"], [["A1", "U1", "Acme"], ["", "U1", "No Id Inc"]])
    # Two of three contacts point at accounts the export does not hold: 1/3 < 0.95.
    write_csv(folder, "contact", ["Id", "AccountId"], [["C1", "A1"], ["C2", "A404"], ["C3", "A405"]])
    # Three of four due dates cannot be read (1/4 < 0.98); two of four types are unknown (2/4 < 0.95).
    header = task_header or ["Id", "OwnerId", "ActivityDate", "Status", "Type", "WhoId"]
    rows = [["T1", "U1", "2026-10-01", "Completed", "Call", "C1"],
            ["T2", "U1", "yesterday", "Completed", "Carrier pigeon", "C1"],
            ["T3", "U1", "31/31/2026", "Completed", "Smoke signal", "C1"],
            ["T4", "U1", "soon", "Completed", "Email", "C1"]]
    keep = [["Id", "OwnerId", "ActivityDate", "Status", "Type", "WhoId"].index(name) for name in header]
    write_csv(folder, "task", header, [[row[i] for i in keep] for row in rows])
    write_csv(folder, "opportunity",
              ["Id", "AccountId", "OwnerId", "StageName", "Amount", "CloseDate", "CreatedDate"],
              [["O1", "A1", "U1", "Prospecting", "100", "2026-11-01", "2026-10-01T09:00:00Z"]])
    return folder


def export_vars(folder: Path) -> str:
    return "{salesforce_export_dir: '" + str(folder) + "'}"


def test_input_gate_passes_on_the_demo_export(tmp_path):
    result = run_gate("input", tmp_path, tmp_path / "db.duckdb", "--vars", export_vars(DEMO_EXPORT))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "input: input.salesforce.task.values" in result.stdout  # progress per object
    assert "input gate: passed" in result.stdout
    assert (tmp_path / "docs" / "gx" / "input" / "index.html").is_file()


def test_input_gate_names_a_missing_required_column(tmp_path):
    export = small_export(tmp_path / "export", task_header=["Id", "OwnerId", "ActivityDate", "Type"])
    result = run_gate("input", tmp_path, tmp_path / "db.duckdb", "--vars", export_vars(export))
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"FAILED salesforce\.task: required column present .* on 'status': observed missing",
                     result.stdout), result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_input_gate_names_each_broken_expectation_with_share_threshold_and_samples(tmp_path):
    export = small_export(tmp_path / "export")
    result = run_gate("input", tmp_path, tmp_path / "db.duckdb", "--vars", export_vars(export))
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "Traceback" not in out + result.stderr
    expected = [
        r"FAILED salesforce\.account: id present .* on 'id set: id': observed 0\.5000 of 2 \(threshold 1\.0\); "
        r"bad values e\.g\. 'row 2'",
        r"FAILED salesforce\.contact: reference resolves .* on 'resolves: account_id -> account\.id': "
        r"observed 0\.3333 of 3 \(threshold 0\.95\); bad values e\.g\. .*'A404'",
        r"FAILED salesforce\.task: timestamp parseable .* on 'parses: activity_date': observed 0\.2500 of 4 "
        r"\(threshold 0\.98\); bad values e\.g\. .*'yesterday'",
        r"FAILED salesforce\.task: activity type known .* on 'type known: type, task_subtype': observed 0\.5000 "
        r"of 4 \(threshold 0\.95\); bad values e\.g\. .*'Carrier pigeon / \(blank\)'",
    ]
    for pattern in expected:
        assert re.search(pattern, out), f"{pattern}\nnot in\n{out}"
    # What is fine is not reported as failed.
    assert "FAILED salesforce.opportunity" not in out


def test_input_gate_covers_hubspot_objects_when_that_source_is_enabled(tmp_path):
    export = REPO / "tests" / "fixtures" / "exports" / "hubspot_handwritten"
    variables = "{hubspot_enabled: true, hubspot_export_dir: '" + str(export) + "'}"
    result = run_gate("input", tmp_path, tmp_path / "db.duckdb", "--vars", variables)
    # The fixture is dirty on purpose (a contact without id, an orphan stage row): what matters here
    # is that the HubSpot objects were read from their contract and checked, without a crash.
    assert result.returncode in (0, 1), result.stdout + result.stderr
    for suite in ("input.hubspot.owner.columns", "input.hubspot.engagement.values",
                  "input.hubspot.engagement_communication.values", "input.hubspot.deal_contact.values",
                  "input.salesforce.task.values"):
        assert f"input: {suite} (" in result.stdout, result.stdout
    assert "FAILED salesforce." not in result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory, handwritten_export) -> DbtResult:
    result = run_dbt(tmp_path_factory.mktemp("gates_build"), handwritten_export)
    assert result.returncode == 0, result.output[-3000:]
    return result


def run_output_gate(work: Path, database: Path, built: DbtResult) -> subprocess.CompletedProcess:
    return run_gate("output", work, database, "--manifest", str(built.database.parent / "target" / "manifest.json"))


def test_output_gate_passes_on_a_real_build_and_its_summary_is_offline(tmp_path, built):
    result = run_output_gate(tmp_path, built.database, built)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "output: output.account_health " in result.stdout
    summary = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    assert "output gate: passed" in summary and "share in [0, 1]: worked_account_share" in summary
    assert not re.search(r"<(script|link)\b[^>]*(src|href)\s*=\s*[\"']?(https?:)?//", summary, re.IGNORECASE)
    assert not re.search(r"https?://", summary)
    # Great Expectations' own pages are built beside it (they load styling from CDNs).
    assert (tmp_path / "docs" / "gx" / "output" / "index.html").is_file()


def test_output_gate_fails_on_a_corrupted_copy_of_the_marts(tmp_path, built):
    database = tmp_path / "corrupted.duckdb"
    shutil.copy(built.database, database)
    with duckdb.connect(str(database)) as connection:
        connection.execute("insert into account_health select * from account_health limit 1")
        connection.execute("update rep_scorecard set overall_status = 'purple' "
                           "where rep_id = (select min(rep_id) from rep_scorecard)")
        connection.execute("update pipeline_conversion set won_per_opportunity_created = 1.5 "
                           "where rep_id = (select min(rep_id) from pipeline_conversion)")
        connection.execute("update rep_scorecard set touched_accounts = -1 "
                           "where rep_id = (select max(rep_id) from rep_scorecard)")
        # An owned account loses its row in the last period it has.
        missing = connection.sql("""
            select health.account_id, max(health.period_start)
            from dim_accounts as accounts
            inner join account_health as health on accounts.account_id = health.account_id
            where accounts.rep_id is not null and not accounts.is_deleted
                and cast(accounts.created_at as date) < health.period_start
            group by health.account_id
            order by health.account_id
            limit 1""").fetchone()
        assert missing is not None, "the build has no owned account with a period after its creation"
        connection.execute("delete from account_health where account_id = ? and period_start = ?", list(missing))
    result = run_output_gate(tmp_path, database, built)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "Traceback" not in out + result.stderr
    for pattern in [
        r"FAILED account_health: grain unique .* on 'unique: account_id, period_start'",
        r"FAILED rep_scorecard: status in set .* on 'in set: overall_status': .*bad values e\.g\. 'purple'",
        r"FAILED pipeline_conversion: share within \[0, 1\] .* on 'share in \[0, 1\]: won_per_opportunity_created'"
        r".*'1\.5'",
        r"FAILED rep_scorecard: count non-negative .* on 'count >= 0: touched_accounts'.*'-1\.0'",
        r"FAILED account_health: rows present .* on 'present in account_health: account_id, period_start'",
    ]:
        assert re.search(pattern, out), f"{pattern}\nnot in\n{out}"
    summary = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    assert "output gate: FAILED" in summary and "purple" in summary
