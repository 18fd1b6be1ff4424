"""Tests of scripts/generate_demo_data.py: determinism, the export contract, the committed demo, and
that the manifest's counts match what is really in the files (counted independently here)."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "generate_demo_data.py"
CONTRACT = REPO_ROOT / "models" / "staging" / "salesforce" / "_salesforce__sources.yml"
COMMITTED_DEMO = REPO_ROOT / "data" / "demo" / "salesforce"
OBJECTS = ["user", "user_role", "account", "contact", "lead", "task", "event", "opportunity",
           "opportunity_history", "quota"]
KEY_PREFIXES = {"user": "005", "user_role": "00E", "account": "001", "contact": "003", "lead": "00Q",
                "task": "00T", "event": "00U", "opportunity": "006", "opportunity_history": "008"}
EXPORT_AT = datetime(2026, 10, 31, 23, 59, 59, tzinfo=timezone.utc)
WINDOW_START = datetime(2025, 11, 1, tzinfo=timezone.utc)
OFFSET_VALUE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
PLAIN_VALUE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
TIMESTAMP_COLUMNS = {"created_date", "system_modstamp", "_fivetran_synced", "completed_date_time",
                     "start_date_time", "end_date_time"}
SMALL = "0.2"


def load_generator():
    spec = importlib.util.spec_from_file_location("generate_demo_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_demo_data"] = module
    spec.loader.exec_module(module)
    return module


generator = load_generator()


def contract_columns() -> dict[str, list[str]]:
    """Read the contract here, independently of the generator's own loader."""
    document = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    source = next(s for s in document["sources"] if s["name"] == "salesforce")
    return {t["name"]: [c["name"] for c in t["columns"]] for t in source["tables"]}


def run(out: Path, *extra: str) -> None:
    assert generator.main(["--out", str(out), "--quiet", *extra]) == 0


def read_rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def parse_ts(value: str) -> datetime | None:
    """A timestamp as the landing should read it (no offset = UTC); None when unparseable."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small")
    run(out, "--scale", SMALL)
    return out


@pytest.fixture(scope="module")
def default_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("default")
    run(out)
    return out


@pytest.fixture(scope="module")
def manifest(default_run) -> dict:
    return json.loads((default_run / "generation_manifest.json").read_text(encoding="utf-8"))


# ---- command line -----------------------------------------------------------------------------------
def test_help_exits_zero():
    result = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "--activities" in result.stdout and "--scale" in result.stdout


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--scale", "-1"], "--scale: must be > 0"),
        (["--scale", "lots"], "--scale: expected a number"),
        (["--activities", "10"], "--activities: must be at least"),
        (["--format", "xlsx"], "--format: invalid choice"),
    ],
)
def test_bad_argument_exits_non_zero_with_message(tmp_path, arguments, message):
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path), *arguments],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir()), "nothing may be written on a bad argument"


def test_out_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "not_a_folder"
    target.write_text("x")
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(target), "--quiet"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "not a folder" in result.stderr and "Traceback" not in result.stderr


# ---- determinism -----------------------------------------------------------------------------------
def test_same_seed_gives_byte_identical_files(small_run, tmp_path):
    run(tmp_path, "--scale", SMALL)
    first, second = files_of(small_run), files_of(tmp_path)
    assert sorted(first) == sorted(second)
    assert {f"{name}.csv" for name in OBJECTS} | {"generation_manifest.json"} == set(first)
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs with the same seed"


def test_different_seed_gives_different_files(small_run, tmp_path):
    run(tmp_path, "--scale", SMALL, "--seed", "7")
    for name in ("account.csv", "task.csv", "opportunity.csv"):
        assert (small_run / name).read_bytes() != (tmp_path / name).read_bytes(), name


def test_committed_demo_equals_a_fresh_default_run(default_run):
    committed, fresh = files_of(COMMITTED_DEMO), files_of(default_run)
    assert sorted(committed) == sorted(fresh), "the committed demo has other files than a default run"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"data/demo/salesforce is out of date ({stale}); rerun scripts/generate_demo_data.py"


# ---- the export contract ----------------------------------------------------------------------------
def test_headers_hold_every_contract_column_in_order_plus_custom_columns(default_run):
    contract = contract_columns()
    assert set(OBJECTS) <= set(contract)
    for name in OBJECTS:
        with open(default_run / f"{name}.csv", newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        columns = contract[name]
        assert header[: len(columns)] == columns, f"{name}: contract columns missing or out of YAML order"
        extras = [c for c in header if c not in columns]
        assert extras and all(c.endswith("_c") for c in extras), f"{name}: needs 1+ custom *_c column"
        assert 1 <= len(extras) <= 3
        assert len(set(header)) == len(header)


def test_a_column_added_to_the_contract_appears_in_the_export(tmp_path, monkeypatch):
    document = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    task = next(t for t in document["sources"][0]["tables"] if t["name"] == "task")
    task["columns"].append({"name": "priority", "description": "Task priority."})
    patched = tmp_path / "sources.yml"
    patched.write_text(yaml.safe_dump(document), encoding="utf-8")
    monkeypatch.setattr(generator, "CONTRACT_PATH", patched)
    out = tmp_path / "out"
    run(out, "--activities", "500")
    rows = read_rows(out, "task")
    assert "priority" in rows[0] and all(row["priority"] == "" for row in rows)


# ---- manifest reconciliation (counted independently from the files) -------------------------------
def test_rows_and_distinct_ids_match_the_files(default_run, manifest):
    for name in OBJECTS:
        with open(default_run / f"{name}.csv", encoding="utf-8") as handle:
            lines = sum(1 for _ in handle)
        entry = manifest["objects"][name]
        assert entry["rows"] == lines - 1, name
        if name != "quota":
            ids = [row["id"] for row in read_rows(default_run, name)]
            assert entry["distinct_ids"] == len(set(ids)), name
            assert entry["dirt"].get("duplicates", 0) == len(ids) - len(set(ids)), name


def test_activity_records_hit_the_target(manifest):
    objects = manifest["objects"]
    assert objects["task"]["distinct_ids"] + objects["event"]["distinct_ids"] == 14_500
    assert manifest["effective"]["activities_target"] == 14_500


def test_duplicates_are_resyncs_with_a_newer_modstamp_and_a_changed_field(default_run):
    for name in ("account", "contact", "lead", "task", "event", "opportunity"):
        by_id: dict[str, list[dict[str, str]]] = {}
        for row in read_rows(default_run, name):
            by_id.setdefault(row["id"], []).append(row)
        duplicated = [rows for rows in by_id.values() if len(rows) > 1]
        assert duplicated, f"{name}: expected some re-sync duplicates"
        for older, newer in duplicated:
            assert parse_ts(newer["system_modstamp"]) > parse_ts(older["system_modstamp"]), (name, older["id"])
            assert parse_ts(newer["_fivetran_synced"]) > parse_ts(older["_fivetran_synced"]), (name, older["id"])
            ignored = {"system_modstamp", "_fivetran_synced"}
            assert any(older[c] != newer[c] for c in older if c not in ignored), (name, older["id"])


def test_flag_dirt_counts_match(default_run, manifest):
    for name in ("account", "contact", "lead", "task", "event", "opportunity"):
        rows = read_rows(default_run, name)
        dirt = manifest["objects"][name]["dirt"]
        assert dirt.get("deleted", 0) == sum(r["is_deleted"] == "true" for r in rows), name
        assert dirt.get("fivetran_deleted", 0) == sum(r["_fivetran_deleted"] == "true" for r in rows), name
        if "owner_id" in rows[0] and name in ("account", "task", "event"):
            assert dirt.get("null_owner", 0) == sum(r["owner_id"] == "" for r in rows), name
    for name in ("account", "contact", "task", "event", "opportunity"):
        assert manifest["objects"][name]["dirt"]["deleted"] > 0, f"{name}: expected soft deletes"


def test_task_and_event_dirt_counts_match(default_run, manifest):
    known = set()
    for name in ("account", "contact", "lead", "opportunity"):
        known.update(row["id"] for row in read_rows(default_run, name))
    for name, broken_column in (("task", "completed_date_time"), ("event", "start_date_time")):
        rows = read_rows(default_run, name)
        dirt = manifest["objects"][name]["dirt"]
        counts = Counter()
        for row in rows:
            keys = [row[k] for k in ("who_id", "what_id", "account_id") if row[k]]
            if not keys:
                counts["unlinked"] += 1
            elif not any(k in known for k in keys):
                counts["orphan_only"] += 1
            elif any(k not in known for k in keys):
                counts["orphan_key"] += 1
            value = row[broken_column]
            if value and parse_ts(value) is None:
                counts["invalid_timestamp"] += 1
        for kind in ("unlinked", "orphan_only", "orphan_key", "invalid_timestamp"):
            assert dirt.get(kind, 0) == counts[kind], (name, kind)
            assert counts[kind] > 0, (name, kind)
    tasks = read_rows(default_run, "task")
    dirt = manifest["objects"]["task"]["dirt"]
    fax = [r for r in tasks if r["type"] == "Fax"]
    assert dirt["unknown_type"] == len(fax) > 0 and all(r["task_subtype"] == "" for r in fax)
    future = [r for r in tasks if (t := parse_ts(r["completed_date_time"] or "x")) and t > EXPORT_AT]
    assert dirt["future_completed"] == len(future) > 0
    assert all(r["status"] == "Completed" for r in future)


def test_opportunity_dirt_counts_match(default_run, manifest):
    latest: dict[str, dict[str, str]] = {}
    for row in read_rows(default_run, "opportunity"):
        latest[row["id"]] = row  # the later copy of a duplicate is the current one
    history = read_rows(default_run, "opportunity_history")
    dirt = manifest["objects"]["opportunity"]["dirt"]
    assert dirt["unknown_stage"] == sum(r["stage_name"] == "Legal Review" for r in latest.values()) > 0
    assert dirt["negative_amount"] == sum(float(r["amount"]) < 0 for r in latest.values()) > 0
    history_dirt = manifest["objects"]["opportunity_history"]["dirt"]
    assert history_dirt["unknown_stage"] == sum(r["stage_name"] == "Legal Review" for r in history)


def test_timestamp_format_counts_match(default_run, manifest):
    for name in OBJECTS:
        offset_rows = plain_rows = 0
        for row in read_rows(default_run, name):
            values = [v for c, v in row.items() if c in TIMESTAMP_COLUMNS and v and parse_ts(v)]
            offset_rows += any(OFFSET_VALUE.match(v) for v in values)
            plain_rows += any(PLAIN_VALUE.match(v) for v in values)
        dirt = manifest["objects"][name]["dirt"]
        assert dirt.get("offset_timestamp_rows", 0) == offset_rows, name
        assert dirt.get("plain_timestamp_rows", 0) == plain_rows, name


# ---- the data makes sense ------------------------------------------------------------------------------
def test_ids_are_18_chars_with_salesforce_key_prefixes(default_run):
    for name, prefix in KEY_PREFIXES.items():
        ids = {row["id"] for row in read_rows(default_run, name)}
        assert ids and all(len(i) == 18 and i.startswith(prefix) for i in ids), name


def test_values_are_in_the_time_frame_and_well_formed(default_run):
    tasks = read_rows(default_run, "task")
    for row in tasks:
        assert row["is_closed"] in ("true", "false") and row["is_deleted"] in ("true", "false")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["activity_date"])
        done = parse_ts(row["completed_date_time"]) if row["completed_date_time"] else None
        if done and done <= EXPORT_AT:
            assert done >= WINDOW_START
    horizon = datetime(2026, 11, 30, 23, 59, 59, tzinfo=timezone.utc)
    events = read_rows(default_run, "event")
    statuses = Counter()
    for row in events:
        start = parse_ts(row["start_date_time"])
        if start is None:
            continue  # an injected invalid timestamp
        assert WINDOW_START <= start <= horizon
        assert parse_ts(row["created_date"]) < start, "a meeting is booked before it starts"
        if start > EXPORT_AT:
            assert row["event_status_c"] == "", "a future meeting has no outcome yet"
        statuses[row["event_status_c"]] += 1
    held = statuses["Completed"] + statuses["No Show"]
    assert 0.05 < statuses["No Show"] / held < 0.2


def test_history_is_consistent_with_the_current_opportunity(default_run):
    current: dict[str, dict[str, str]] = {}
    for row in read_rows(default_run, "opportunity"):
        current[row["id"]] = row
    last: dict[str, dict[str, str]] = {}
    pushes = Counter()
    for row in read_rows(default_run, "opportunity_history"):
        previous = last.get(row["opportunity_id"])
        if previous is not None:
            assert parse_ts(row["created_date"]) > parse_ts(previous["created_date"])
            if row["close_date"] > previous["close_date"] and row["stage_name"] == previous["stage_name"]:
                pushes[row["opportunity_id"]] += 1
        last[row["opportunity_id"]] = row
    assert set(last) == set(current)
    for opp_id, opp in current.items():
        for column in ("stage_name", "amount", "close_date"):
            assert opp[column] == last[opp_id][column], (opp_id, column)
    stages = Counter(opp["stage_name"] for opp in current.values())
    assert stages["Closed Won"] > 0 and stages["Closed Lost"] > 0 and stages["Prospecting"] > 0
    assert max(pushes.values()) >= 2, "some close dates are pushed twice"


def test_people_roles_and_leads_look_like_the_spec(default_run):
    roles = {row["id"]: row["name"] for row in read_rows(default_run, "user_role")}
    assert {"SMB SDR", "Strategic AM", "Account Manager", "VP Sales", "Solutions Consultant"} <= set(roles.values())
    users = read_rows(default_run, "user")
    holders = Counter(roles[u["user_role_id"]] for u in users)
    assert holders["Solutions Consultant"] == 1
    assert sum(u["is_active"] == "false" for u in users) >= 2
    assert all(u["manager_id"] for u in users if roles[u["user_role_id"]] != "VP Sales")
    leads = {row["id"]: row for row in read_rows(default_run, "lead")}
    converted = [lead for lead in leads.values() if lead["is_converted"] == "true"]
    assert 0.18 < len(converted) / len(leads) < 0.32
    assert all(lead["converted_account_id"] and lead["converted_contact_id"] for lead in converted)
    touched = {row["who_id"] for row in read_rows(default_run, "task") if row["who_id"].startswith("00Q")}
    inbound = [i for i, lead in leads.items() if lead["lead_source"] in ("Web", "Phone Inquiry", "Partner Referral")]
    share_touched = sum(i in touched for i in inbound) / len(inbound)
    assert 0.75 < share_touched < 1.0, "most inbound leads get a first touch, some never do"


def test_the_size_stays_small(default_run, manifest):
    size = sum(p.stat().st_size for p in default_run.iterdir())
    assert size < 6_500_000
    effective = manifest["effective"]
    assert 25 <= effective["reps"] <= 40 and 450 <= effective["accounts"] <= 550
    assert 2_000 <= effective["contacts"] <= 3_000 and effective["leads"] == 800
    assert 11_000 <= manifest["objects"]["task"]["distinct_ids"] <= 13_000


# ---- parquet --------------------------------------------------------------------------------------------
def test_parquet_has_the_same_rows_as_csv(small_run, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    run(tmp_path, "--scale", SMALL, "--format", "parquet")
    assert not list(tmp_path.glob("*.csv"))
    csv_manifest = json.loads((small_run / "generation_manifest.json").read_text(encoding="utf-8"))
    parquet_manifest = json.loads((tmp_path / "generation_manifest.json").read_text(encoding="utf-8"))
    connection = duckdb.connect()
    for name in OBJECTS:
        path = str(tmp_path / f"{name}.parquet")
        (count,) = connection.execute("select count(*) from read_parquet(?)", [path]).fetchone()
        assert count == csv_manifest["objects"][name]["rows"] == parquet_manifest["objects"][name]["rows"], name
        columns = [row[0] for row in connection.execute("describe select * from read_parquet(?)", [path]).fetchall()]
        with open(small_run / f"{name}.csv", newline="", encoding="utf-8") as handle:
            assert columns == next(csv.reader(handle)), name
