"""Tests of scripts/generate_demo_data.py: determinism, the export contract, the committed demo, that
the manifest's counts match what is really in the files (counted independently here), and that reps
work their books the way the account-health marts need (green, yellow and red for every role)."""

from __future__ import annotations

import csv
import gzip
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
GZIPPED = {"task", "event"}  # written as <name>.csv.gz by default
FILE_NAMES = {f"{name}.csv.gz" if name in GZIPPED else f"{name}.csv" for name in OBJECTS}
SEEDS = REPO_ROOT / "seeds"
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


def data_file(folder: Path, name: str) -> Path:
    """The object's file: `<name>.csv.gz` when the run compressed it, else `<name>.csv`."""
    packed = folder / f"{name}.csv.gz"
    return packed if packed.exists() else folder / f"{name}.csv"


def open_text(folder: Path, name: str):
    path = data_file(folder, name)
    if path.suffix == ".gz":
        return gzip.open(path, "rt", newline="", encoding="utf-8")
    return open(path, newline="", encoding="utf-8")


def read_rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open_text(folder, name) as handle:
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
    assert FILE_NAMES | {"generation_manifest.json"} == set(first)
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs with the same seed"


def test_different_seed_gives_different_files(small_run, tmp_path):
    run(tmp_path, "--scale", SMALL, "--seed", "7")
    for name in ("account.csv", "task.csv.gz", "opportunity.csv"):
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
        with open_text(default_run, name) as handle:
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
        with open_text(default_run, name) as handle:
            lines = sum(1 for _ in handle)
        entry = manifest["objects"][name]
        assert entry["file"] == data_file(default_run, name).name, name
        assert entry["rows"] == lines - 1, name
        if name != "quota":
            ids = [row["id"] for row in read_rows(default_run, name)]
            assert entry["distinct_ids"] == len(set(ids)), name
            assert entry["dirt"].get("duplicates", 0) == len(ids) - len(set(ids)), name


def test_activity_records_hit_the_target(manifest):
    objects = manifest["objects"]
    assert objects["task"]["distinct_ids"] + objects["event"]["distinct_ids"] == generator.BASE_ACTIVITIES
    assert manifest["effective"]["activities_target"] == generator.BASE_ACTIVITIES
    assert manifest["effective"]["activity_records"] == generator.BASE_ACTIVITIES


@pytest.mark.parametrize("arguments, target", [
    (["--activities", "100"], 100),  # far below what the reps plan: they work fewer accounts
    (["--scale", "1", "--activities", "5000"], 5_000),
    (["--scale", "0.2", "--activities", "40000"], 40_000),  # far above: more work on the same accounts
])
def test_activities_is_the_exact_record_count_whatever_the_scale(tmp_path, arguments, target):
    run(tmp_path, *arguments)
    manifest = json.loads((tmp_path / "generation_manifest.json").read_text(encoding="utf-8"))
    ids = {name: {row["id"] for row in read_rows(tmp_path, name)} for name in ("task", "event")}
    assert len(ids["task"]) + len(ids["event"]) == target
    assert manifest["effective"]["activity_records"] == target


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
    assert size < 8_000_000
    effective = manifest["effective"]
    assert 20 <= effective["reps"] <= 24 and 700 <= effective["accounts"] <= 900
    assert 3_000 <= effective["contacts"] <= 4_500 and effective["leads"] == 1_200
    assert 42_000 <= manifest["objects"]["task"]["distinct_ids"] <= 49_000


# ---- gzip ------------------------------------------------------------------------------------------------
def test_gzip_files_are_deterministic_and_hold_the_plain_csv(small_run, tmp_path):
    run(tmp_path, "--scale", SMALL, "--no-gzip")
    assert {p.name for p in tmp_path.iterdir()} == {f"{name}.csv" for name in OBJECTS} | {"generation_manifest.json"}
    for name in GZIPPED:
        packed = (small_run / f"{name}.csv.gz").read_bytes()
        # RFC 1952 header: no file name (FLG 0) and MTIME 0, so the bytes do not depend on when or where
        assert packed[:3] == b"\x1f\x8b\x08" and packed[3] == 0 and packed[4:8] == b"\x00\x00\x00\x00", name
        assert gzip.decompress(packed) == (tmp_path / f"{name}.csv").read_bytes(), name
    plain = json.loads((tmp_path / "generation_manifest.json").read_text(encoding="utf-8"))["objects"]
    packed_manifest = json.loads((small_run / "generation_manifest.json").read_text(encoding="utf-8"))["objects"]
    for name in OBJECTS:
        assert {**plain[name], "file": ""} == {**packed_manifest[name], "file": ""}, name
        assert packed_manifest[name]["file"] == (f"{name}.csv.gz" if name in GZIPPED else f"{name}.csv")


# ---- reps work their books (what the account-health marts judge) -------------------------------------------
def csv_source(folder: Path, name: str) -> str:
    return f"read_csv('{data_file(folder, name)}', header = true, all_varchar = true)"


def account_months_sql(folder: Path) -> str:
    """Per owned account and month: touches, qualifying activities and contacts engaged, with the
    owner's book threshold. An approximation of the staging rules, read straight from the files:
    completed, not deleted, resolved to an account directly or through the contact."""
    src = {name: csv_source(folder, name) for name in ("user", "user_role", "account", "contact", "task", "event")}
    seed = {name: f"read_csv('{SEEDS / (name + '.csv')}', header = true)"
            for name in ("activity_type_map", "rep_roles", "activity_thresholds")}
    return f"""
    with type_map as (select * from {seed['activity_type_map']} where source_system = 'salesforce'),
    roles as (
        select distinct role_name, rep_role, coalesce(segment, 'Mid-Market') as segment
        from {seed['rep_roles']}
    ),
    reps as (
        select u.id as rep_id, r.name as role_name,
            coalesce(roles.rep_role, 'AE') as rep_role, coalesce(roles.segment, 'Mid-Market') as segment
        from {src['user']} as u
        join {src['user_role']} as r on u.user_role_id = r.id
        left join roles on lower(r.name) = lower(roles.role_name)
    ),
    accounts as (
        select id as account_id, any_value(owner_id) as owner_id, max(created_date)[:10] as created_day
        from {src['account']} group by id having bool_and(is_deleted = 'false')
    ),
    contacts as (select distinct id as contact_id, account_id from {src['contact']}),
    activities as (
        select distinct id, type, task_subtype as subtype, who_id, account_id,
            try_cast(left(coalesce(completed_date_time, activity_date), 10) as date) as day
        from {src['task']}
        where status = 'Completed' and is_deleted = 'false' and _fivetran_deleted = 'false'
        union all
        select distinct id, type, event_subtype, who_id, account_id, try_cast(left(start_date_time, 10) as date)
        from {src['event']}
        where event_status_c = 'Completed' and is_deleted = 'false'
    ),
    touches as (
        select coalesce(a.account_id, c.account_id) as account_id, c.contact_id,
            date_trunc('month', day) as month_start,
            coalesce(by_type.activity_channel, by_subtype.activity_channel) as channel
        from activities as act
        left join accounts as a on act.account_id = a.account_id
        left join contacts as c on act.who_id = c.contact_id
        left join type_map as by_type on lower(trim(act.type)) = by_type.raw_type
        left join type_map as by_subtype on lower(trim(act.subtype)) = by_subtype.raw_type
        where coalesce(by_type.counts_as_touch, by_subtype.counts_as_touch) and day <= date '2026-10-31'
    ),
    thresholds as (select * from {seed['activity_thresholds']} where period_type = 'month'),
    months as (select cast(m as date) as month_start
               from range(date '2025-11-01', date '2026-11-01', interval 1 month) as t(m)),
    owned as (
        select a.account_id, reps.role_name, reps.rep_role, reps.segment, months.month_start
        from accounts as a
        join reps on a.owner_id = reps.rep_id
        cross join months
        where a.created_day < strftime(months.month_start + interval 1 month, '%Y-%m-%d')
    )
    select
        o.account_id, o.month_start, o.role_name, o.rep_role, o.segment,
        count(t.account_id) as touches,
        count(t.account_id) filter (where q.qualifies) as qualifying,
        count(distinct t.contact_id) filter (where q.qualifies) as contacts,
        any_value(th.min_qualifying_activities) as min_activities,
        any_value(th.min_contacts_engaged) as min_contacts
    from owned as o
    join thresholds as th on o.rep_role = th.rep_role and o.segment = th.segment
    left join touches as t on o.account_id = t.account_id and o.month_start = t.month_start
    left join lateral (select
        (t.channel = 'call' and th.includes_call) or (t.channel = 'email' and th.includes_email)
        or (t.channel = 'meeting' and th.includes_meeting) or (t.channel = 'linkedin' and th.includes_linkedin)
        or (t.channel = 'sms' and th.includes_sms) or (t.channel = 'other' and th.includes_other) as qualifies
    ) as q on true
    group by all
    """


@pytest.fixture(scope="module")
def account_months(default_run) -> list[tuple]:
    duckdb = pytest.importorskip("duckdb")
    with duckdb.connect() as connection:
        return connection.sql(
            f"select account_id, month_start, role_name, rep_role, touches, qualifying, contacts, "
            f"qualifying >= min_activities and contacts >= min_contacts as is_green "
            f"from ({account_months_sql(default_run)})"
        ).fetchall()


def test_a_mid_market_ae_works_some_accounts_to_threshold(account_months):
    worked = [row for row in account_months if row[2] == "Mid-Market AE" and row[5] >= 30 and row[6] >= 3]
    assert worked, "no Mid-Market AE account-month with 30+ qualifying activities over 3+ contacts"
    assert len({row[0] for row in worked}) >= 5, "focus sets should move between accounts"


def test_every_role_shows_green_yellow_and_red(account_months):
    by_role: dict[str, Counter] = {}
    for _, _, _, rep_role, touches, _, _, is_green in account_months:
        colour = "green" if is_green else ("yellow" if touches else "red")
        by_role.setdefault(rep_role, Counter())[colour] += 1
    assert set(by_role) == {"SDR", "BDR", "AE", "AM"}
    for rep_role, colours in by_role.items():
        total = sum(colours.values())
        green, yellow, red = (colours[c] / total for c in ("green", "yellow", "red"))
        assert 0.10 <= green <= 0.40, (rep_role, dict(colours))
        assert 0.15 <= yellow <= 0.45, (rep_role, dict(colours))
        assert 0.25 <= red <= 0.60, (rep_role, dict(colours))


def test_books_are_worked_unevenly(account_months):
    """Some reps work most of their book, the overloaded book cannot be worked, the lean winner works
    few accounts; and no rep's month is all green."""
    share: dict[str, list[int]] = {}
    for _, _, role_name, _, _, _, _, is_green in account_months:
        share.setdefault(role_name, [0, 0])
        share[role_name][0] += bool(is_green)
        share[role_name][1] += 1
    green = {role: worked / total for role, (worked, total) in share.items()}
    assert green["Enterprise AE"] < 0.1, "the Enterprise AE's book is far too big to work"
    assert green["Strategic AE"] > 0.4, "the Strategic AE works most of a small book"
    assert max(green.values()) < 0.8


def test_reps_log_a_realistic_month(default_run):
    tasks = read_rows(default_run, "task")
    per_rep_month = Counter((row["owner_id"], row["activity_date"][:7]) for row in tasks
                            if row["owner_id"] and "2025-11" <= row["activity_date"][:7] <= "2026-10")
    busy = [n for n in per_rep_month.values() if n >= 150]
    assert len(busy) / len(per_rep_month) > 0.4, "most rep-months should be 150+ activities"
    assert max(per_rep_month.values()) < 600


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
        with open_text(small_run, name) as handle:
            assert columns == next(csv.reader(handle)), name


# ---- HubSpot and mixed exports ------------------------------------------------------------------------
HUBSPOT_CONTRACT = REPO_ROOT / "models" / "staging" / "hubspot" / "_hubspot__sources.yml"
HUBSPOT_OBJECTS = ["owner", "team", "team_user", "company", "contact", "deal", "deal_pipeline",
                   "deal_pipeline_stage", "deal_stage", "deal_company", "deal_contact", "engagement",
                   "engagement_call", "engagement_email", "engagement_meeting", "engagement_note", "engagement_task",
                   "engagement_communication", "engagement_company", "engagement_contact", "engagement_deal"]
HUBSPOT_KEYS = {"owner": "owner_id", "team": "id", "company": "id", "contact": "id", "deal": "deal_id",
                "engagement": "id", "engagement_call": "engagement_id", "engagement_email": "engagement_id",
                "engagement_meeting": "engagement_id", "engagement_note": "engagement_id",
                "engagement_task": "engagement_id", "engagement_communication": "engagement_id"}
ASSOCIATIONS = {"engagement_company": ("company_id", "company"), "engagement_contact": ("contact_id", "contact"),
                "engagement_deal": ("deal_id", "deal")}
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
EPOCH_MS = re.compile(r"^\d{13}$")


def hubspot_contract() -> dict[str, list[str]]:
    document = yaml.safe_load(HUBSPOT_CONTRACT.read_text(encoding="utf-8"))
    source = next(s for s in document["sources"] if s["name"] == "hubspot")
    return {t["name"]: [c["name"] for c in t["columns"]] for t in source["tables"]}


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "generation_manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hubspot_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hubspot")
    run(out, "--crm", "hubspot", "--scale", SMALL)
    return out


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mixed")
    run(out, "--crm", "mixed", "--scale", SMALL)
    return out


def test_mixed_needs_an_out_folder():
    result = subprocess.run([sys.executable, str(SCRIPT), "--crm", "mixed"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0 and "--out" in result.stderr and "Traceback" not in result.stderr


def test_hubspot_and_mixed_exports_are_deterministic(hubspot_run, mixed_run, tmp_path):
    run(tmp_path / "hubspot", "--crm", "hubspot", "--scale", SMALL)
    run(tmp_path / "mixed", "--crm", "mixed", "--scale", SMALL)
    pairs = [(hubspot_run, tmp_path / "hubspot"), (mixed_run, tmp_path / "mixed"),
             (mixed_run / "salesforce", tmp_path / "mixed" / "salesforce"),
             (mixed_run / "hubspot", tmp_path / "mixed" / "hubspot")]
    for first, second in pairs:
        assert files_of(first) == files_of(second), f"{first.name} differs between two runs with the same seed"
    assert {f"{name}.csv.gz" if name.startswith("engagement") else f"{name}.csv" for name in HUBSPOT_OBJECTS} \
        | {"generation_manifest.json"} == set(files_of(hubspot_run))
    run(tmp_path / "seven", "--crm", "hubspot", "--scale", SMALL, "--seed", "7")
    assert (tmp_path / "seven" / "engagement.csv.gz").read_bytes() != (hubspot_run / "engagement.csv.gz").read_bytes()


def test_hubspot_headers_hold_every_contract_column_in_order(hubspot_run):
    contract = hubspot_contract()
    assert set(HUBSPOT_OBJECTS) <= set(contract)
    for name in HUBSPOT_OBJECTS:
        with open_text(hubspot_run, name) as handle:
            header = next(csv.reader(handle))
        assert header[: len(contract[name])] == contract[name], name
        assert len(set(header)) == len(header), name
        assert all(c.startswith(("property_", "portal_id", "body_preview")) for c in header[len(contract[name]):])


def test_hubspot_timestamps_are_epoch_ms_on_the_engagement_and_iso_elsewhere(hubspot_run):
    for row in read_rows(hubspot_run, "engagement"):
        for column in ("timestamp", "created_at", "last_updated"):
            assert EPOCH_MS.match(row[column]), (column, row[column])
    for name in ("company", "deal", "engagement_meeting", "engagement_call", "deal_stage"):
        rows = read_rows(hubspot_run, name)
        for column in [c for c in rows[0] if c.endswith(("date", "_synced", "_timestamp", "_time", "_entered"))]:
            assert all(ISO_MS.match(r[column]) for r in rows if r[column]), (name, column)


def test_hubspot_deal_stage_history_ends_in_the_current_stage(hubspot_run):
    deals = {row["deal_id"]: row for row in read_rows(hubspot_run, "deal")}  # later copy wins
    stages = {row["stage_id"] for row in read_rows(hubspot_run, "deal_pipeline_stage")}
    history: dict[str, list[dict[str, str]]] = {}
    for row in read_rows(hubspot_run, "deal_stage"):
        history.setdefault(row["deal_id"], []).append(row)
    merged_away = {i for row in deals.values() if row["property_hs_merged_object_ids"]
                   for i in row["property_hs_merged_object_ids"].split(";")}
    assert set(history) == set(deals) - merged_away
    for deal_id, rows in history.items():
        current = [r for r in rows if r["_fivetran_active"] == "true"]
        assert len(current) == 1 and current[0] is rows[-1], deal_id
        assert current[0]["_fivetran_end"] == "9999-12-31T23:59:59.999Z"
        assert current[0]["value"] == deals[deal_id]["deal_pipeline_stage_id"]
        assert all(r["value"] in stages for r in rows)
        for before, after in zip(rows, rows[1:]):
            assert before["value"] != after["value"] and before["_fivetran_end"] < after["date_entered"]
    current_stages = Counter(row["deal_pipeline_stage_id"] for row in deals.values())
    assert current_stages["closedwon"] and current_stages["closedlost"] and current_stages["appointmentscheduled"]


def test_hubspot_engagements_cover_every_type_with_their_details(hubspot_run):
    engagements = read_rows(hubspot_run, "engagement")
    types = Counter(row["type"] for row in engagements)
    assert {"CALL", "EMAIL", "INCOMING_EMAIL", "MEETING", "NOTE", "TASK", "COMMUNICATION", "POSTAL_MAIL"} <= set(types)
    detail_of = {"CALL": "engagement_call", "EMAIL": "engagement_email", "INCOMING_EMAIL": "engagement_email",
                 "FORWARDED_EMAIL": "engagement_email", "MEETING": "engagement_meeting", "NOTE": "engagement_note",
                 "TASK": "engagement_task", "COMMUNICATION": "engagement_communication"}
    ids_by_detail = {name: {row["engagement_id"] for row in read_rows(hubspot_run, name)}
                     for name in set(detail_of.values())}
    for row in engagements:  # every engagement of a known type has exactly its own detail
        if row["type"] in detail_of:
            assert row["id"] in ids_by_detail[detail_of[row["type"]]], row["id"]
    calls = read_rows(hubspot_run, "engagement_call")
    assert len({r["property_hs_call_disposition"] for r in calls}) >= 5
    outcomes = Counter(r["property_hs_meeting_outcome"] for r in read_rows(hubspot_run, "engagement_meeting"))
    assert {"COMPLETED", "NO_SHOW", "CANCELED", "SCHEDULED"} <= set(outcomes)
    statuses = Counter(r["property_hs_task_status"] for r in read_rows(hubspot_run, "engagement_task"))
    assert statuses["COMPLETED"] and statuses["NOT_STARTED"]
    channels = Counter(r["property_hs_communication_channel_type"]
                       for r in read_rows(hubspot_run, "engagement_communication"))
    assert {"LINKEDIN_MESSAGE", "SMS"} <= set(channels)


def hubspot_counts(folder: Path) -> dict[str, Counter]:
    """The HubSpot dirt, counted from the files alone (independently of the generator)."""
    counts: dict[str, Counter] = {name: Counter() for name in HUBSPOT_OBJECTS}
    rows = {name: read_rows(folder, name) for name in HUBSPOT_OBJECTS}
    for name, key in HUBSPOT_KEYS.items():
        ids = [row[key] for row in rows[name]]
        counts[name]["duplicates"] = len(ids) - len(set(ids))
    for name in ("company", "contact", "deal"):
        latest = {}
        for row in rows[name]:
            latest[row["id" if name != "deal" else "deal_id"]] = row
        counts[name]["deleted"] = sum(r["is_deleted"] == "true" for r in rows[name])
        counts[name]["fivetran_deleted"] = sum(r["_fivetran_deleted"] == "true" for r in rows[name])
        survivors = [r for r in latest.values() if r["property_hs_merged_object_ids"]]
        counts[name]["merged"] = len(survivors)
        away = {i for r in survivors for i in r["property_hs_merged_object_ids"].split(";")}
        counts[name]["merged_away_rows"] = sum(i in latest for i in away)
        assert all(i in latest for i in away), f"{name}: a merged-away id without its row"
    counts["company"]["null_owner"] = sum(r["property_hubspot_owner_id"] == "" for r in rows["company"])
    merged_away = {i for r in rows["contact"] for i in r["property_hs_merged_object_ids"].split(";") if i}
    counts["contact"]["lead_contacts"] = len({r["id"] for r in rows["contact"]
                                              if r["property_hs_lead_status"] and r["id"] not in merged_away})
    engagement = counts["engagement"]
    engagement["archived"] = sum(r["active"] == "false" for r in rows["engagement"])
    engagement["fivetran_deleted"] = sum(r["_fivetran_deleted"] == "true" for r in rows["engagement"])
    engagement["null_owner"] = sum(r["owner_id"] == "" for r in rows["engagement"])
    engagement["unknown_type"] = sum(r["type"] == "POSTAL_MAIL" for r in rows["engagement"])
    known = {kind: {r["id" if kind != "deal" else "deal_id"] for r in rows[kind]}
             for kind in ("company", "contact", "deal")}
    merged_ids = {kind: {i for r in rows[kind] for i in r["property_hs_merged_object_ids"].split(";") if i}
                  for kind in ("contact", "deal")}
    engagement_ids = {r["id"] for r in rows["engagement"]}
    targets: dict[str, list[tuple[str, bool]]] = {i: [] for i in engagement_ids}
    for name, (column, kind) in ASSOCIATIONS.items():
        per_engagement = Counter()
        for row in rows[name]:
            found = row[column] in known[kind]
            counts[name]["orphan_rows"] += not found
            counts[name]["merged_id_rows"] += row[column] in merged_ids.get(kind, set())
            if row["engagement_id"] not in engagement_ids:
                counts[name]["unknown_engagement_rows"] += 1
                continue
            targets[row["engagement_id"]].append((kind, found))
            per_engagement[row["engagement_id"]] += found  # two companies / deals that exist
        if kind != "contact":
            engagement[f"two_{kind.replace('company', 'companie')}s"] = sum(n == 2 for n in per_engagement.values())
    for links in targets.values():
        found = [ok for _, ok in links]
        if not found:
            engagement["unlinked"] += 1
        elif not any(found):
            engagement["orphan_only"] += 1
        elif not all(found):
            engagement["orphan_key"] += 1
    return counts


def test_hubspot_manifest_counts_match_the_files(hubspot_run, mixed_run):
    for folder in (hubspot_run, mixed_run / "hubspot"):
        manifest = manifest_of(folder)
        counts = hubspot_counts(folder)
        for name in HUBSPOT_OBJECTS:
            entry = manifest["objects"][name]
            with open_text(folder, name) as handle:
                assert entry["rows"] == sum(1 for _ in handle) - 1, name
            assert entry["file"] == data_file(folder, name).name, name
            for kind, value in counts[name].items():
                assert entry["dirt"].get(kind, 0) == value, (folder.name, name, kind)
        dirt = manifest["objects"]
        for name, kind in (("engagement", "duplicates"), ("engagement", "archived"), ("engagement", "unknown_type"),
                           ("engagement", "orphan_only"), ("engagement", "unlinked"), ("engagement", "null_owner"),
                           ("engagement", "two_deals"), ("contact", "merged"), ("deal", "merged"),
                           ("contact", "duplicates"), ("engagement_contact", "orphan_rows"),
                           ("engagement_contact", "merged_id_rows")):
            assert dirt[name]["dirt"].get(kind, 0) > 0, (folder.name, name, kind)


def test_mixed_export_splits_teams_between_the_crms(mixed_run):
    top = manifest_of(mixed_run)
    sf, hs = mixed_run / "salesforce", mixed_run / "hubspot"
    assert top["activity_records"]["salesforce"] + top["activity_records"]["hubspot"] == top["activities_target"]
    assert manifest_of(sf)["objects"]["task"]["distinct_ids"] + manifest_of(sf)["objects"]["event"]["distinct_ids"] \
        == top["activity_records"]["salesforce"]
    # Teams: Salesforce role names vs HubSpot primary team names of the reps; no team in both.
    roles = {row["id"]: row["name"] for row in read_rows(sf, "user_role")}
    sf_users = {row["id"]: row for row in read_rows(sf, "user")}
    sf_teams = {roles[u["user_role_id"]] for u in sf_users.values()}
    teams = {row["id"]: row["name"] for row in read_rows(hs, "team")}
    owners = {row["owner_id"]: row for row in read_rows(hs, "owner")}
    hs_teams = {teams[m["team_id"]] for m in read_rows(hs, "team_user") if m["is_secondary_user"] == "false"}
    rep_teams = {t for t in sf_teams | hs_teams if t.split(" ")[0] in ("SMB", "Mid-Market", "Enterprise", "Strategic")}
    assert {t for t in hs_teams if t in rep_teams} and {t for t in sf_teams if t in rep_teams}
    assert not (sf_teams & hs_teams & rep_teams), "a team lives in both CRMs"
    assert all(t.startswith("SMB ") for t in hs_teams & rep_teams)
    assert not {u["email"] for u in sf_users.values()} & {o["email"] for o in owners.values()}
    # Each folder holds only its teams' records: every owner reference resolves inside its folder.
    for name, column in (("account", "owner_id"), ("opportunity", "owner_id"), ("contact", "owner_id"),
                         ("lead", "owner_id"), ("task", "owner_id"), ("event", "owner_id"), ("quota", "user_id")):
        assert {r[column] for r in read_rows(sf, name) if r[column]} <= set(sf_users), name
    for name, column in (("company", "property_hubspot_owner_id"), ("contact", "property_hubspot_owner_id"),
                         ("deal", "owner_id"), ("engagement", "owner_id")):
        assert {r[column] for r in read_rows(hs, name) if r[column]} <= set(owners), name
    sf_accounts = {r["id"] for r in read_rows(sf, "account")}
    assert {r["account_id"] for r in read_rows(sf, "opportunity")} <= sf_accounts
    assert {r["converted_account_id"] for r in read_rows(sf, "lead") if r["converted_account_id"]} <= sf_accounts
    companies = {r["id"] for r in read_rows(hs, "company")}
    assert {r["company_id"] for r in read_rows(hs, "deal_company")} <= companies
    assert {r["property_associatedcompanyid"] for r in read_rows(hs, "contact")
            if r["property_associatedcompanyid"]} <= companies


def test_hubspot_parquet_has_the_same_rows_as_csv(hubspot_run, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    run(tmp_path, "--crm", "hubspot", "--scale", SMALL, "--format", "parquet")
    assert not list(tmp_path.glob("*.csv*"))
    csv_manifest, parquet_manifest = manifest_of(hubspot_run), manifest_of(tmp_path)
    with duckdb.connect() as connection:
        for name in HUBSPOT_OBJECTS:
            (count,) = connection.execute("select count(*) from read_parquet(?)",
                                          [str(tmp_path / f"{name}.parquet")]).fetchone()
            assert count == csv_manifest["objects"][name]["rows"] == parquet_manifest["objects"][name]["rows"], name


def test_every_crm_renders_the_same_company(small_run, hubspot_run, mixed_run):
    """Same seed and size: the Salesforce-only, HubSpot-only and mixed exports hold the same accounts
    and contacts (compared on what the company model decides, not on ids or export dirt)."""
    def accounts(folder: Path, crm: str) -> Counter:
        if crm == "salesforce":
            rows = {r["id"]: r for r in read_rows(folder, "account")}
            return Counter((r["name"], r["industry"], r["number_of_employees"]) for r in rows.values())
        rows = {r["id"]: r for r in read_rows(folder, "company")}
        return Counter((r["property_name"], r["property_industry"], r["property_numberofemployees"])
                       for r in rows.values())

    def contacts(folder: Path, crm: str) -> Counter:
        if crm == "salesforce":
            rows = {r["id"]: r for r in read_rows(folder, "contact")}
            return Counter((r["first_name"], r["last_name"], r["phone"]) for r in rows.values())
        rows = {r["id"]: r for r in read_rows(folder, "contact")}
        merged_away = {i for r in rows.values() for i in r["property_hs_merged_object_ids"].split(";") if i}
        return Counter((r["property_firstname"], r["property_lastname"], r["property_phone"]) for i, r in rows.items()
                       if i not in merged_away and r["property_associatedcompanyid"]
                       and not r["property_hs_lead_status"])

    for count in (accounts, contacts):
        salesforce = count(small_run, "salesforce")
        assert salesforce == count(hubspot_run, "hubspot"), count.__name__
        assert salesforce == count(mixed_run / "salesforce", "salesforce") + count(mixed_run / "hubspot", "hubspot")
