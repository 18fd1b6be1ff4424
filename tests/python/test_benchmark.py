"""The benchmark's pure parts: arguments, figures and their formatting, the report, the appended
day, the process-tree memory sampling and the one-pass lower bound on a hand-written export."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, write_csv

sys.path.insert(0, str(REPO / "scripts"))
import benchmark  # noqa: E402

SYSTEM = ["system_modstamp", "_fivetran_synced", "is_deleted", "_fivetran_deleted"]
STAMP = "2026-10-01T00:00:00.000+0000"


def live(*values):
    return [*values, STAMP, STAMP, "false", "false"]


# ----------------------------------------------------------------------------- arguments

@pytest.mark.parametrize("text, expected", [("1M", 1_000_000), ("250k", 250_000), ("5000", 5000),
                                            ("1.5M", 1_500_000), (" 100M ", 100_000_000)])
def test_parse_size(text, expected):
    assert benchmark.parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "M", "abc", "0", "-1M", "1.5"])
def test_parse_size_refuses_non_sizes(text):
    with pytest.raises(argparse.ArgumentTypeError):
        benchmark.parse_size(text)


def test_size_label_round_trips():
    assert [benchmark.size_label(n) for n in (1_000_000, 10_000_000, 250_000, 1234)] == ["1M", "10M", "250K", "1234"]


def test_parser_defaults_and_lists(tmp_path):
    args = benchmark.build_parser().parse_args(
        ["--sizes", "1M,10M,100M", "--runs", "3", "--workdir", str(tmp_path), "--steps", "full_models,lower_bound",
         "--formats", "csv,parquet"])
    benchmark.validate(args, benchmark.build_parser())
    assert args.sizes == [1_000_000, 10_000_000, 100_000_000]
    assert args.steps == ["full_models", "lower_bound"]
    assert args.formats == ["csv", "parquet"]
    assert benchmark.build_parser().parse_args([]).steps == list(benchmark.STEPS)


@pytest.mark.parametrize("argv, message", [(["--steps", "full_models,nope"], "unknown step"),
                                           (["--runs", "0"], "--runs must be at least 1"),
                                           (["--formats", "xlsx"], "unknown format")])
def test_parser_refuses_bad_arguments(argv, message, capsys):
    with pytest.raises(SystemExit):
        benchmark.main(argv)
    assert message in capsys.readouterr().err


def test_help_runs(capsys):
    with pytest.raises(SystemExit) as exit_info:
        benchmark.build_parser().parse_args(["--help"])
    assert exit_info.value.code == 0
    assert "--sizes" in capsys.readouterr().out


# ----------------------------------------------------------------------------- figures

def test_median_and_ratio():
    assert benchmark.median([3.0, 1.0, 2.0]) == 2.0
    assert benchmark.median([4.0, 1.0]) == 2.5
    assert benchmark.median([]) is None
    assert benchmark.ratio(6.0, 2.0) == 3.0
    assert benchmark.ratio(None, 2.0) is None and benchmark.ratio(1.0, 0.0) is None


def test_formatting():
    assert benchmark.format_seconds(12.345) == "12.3 s"
    assert benchmark.format_bytes(3 * (1 << 30) // 2) == "1.5 GiB"
    assert benchmark.format_bytes(512) == "512 B"
    assert benchmark.format_ratio(2.5) == "2.50×"
    assert benchmark.format_seconds(None) == benchmark.format_bytes(None) == benchmark.format_ratio(None) == "—"


def sample_result() -> benchmark.SizeResult:
    m = benchmark.Measurement
    result = benchmark.SizeResult(1_000_000, "csv")
    result.runs = {
        "full_models": [m(40.0, 1 << 30, 30.0, peak_disk_growth=3 << 30), m(30.0, 2 << 30, 20.0),
                        m(50.0, 1 << 30, 35.0, peak_disk_growth=1 << 30)],
        "incremental": [m(4.0, 1 << 29), m(2.0, 1 << 29), m(3.0, 1 << 29)],
        "account_health": [m(20.0, 1 << 30)],
        "lower_bound": [m(5.0, 1 << 28), m(4.0, 1 << 28), m(6.0, 1 << 28)],
    }
    result.generation = m(25.0, 40 << 20)
    result.export_bytes = 300 << 20
    result.base_rows, result.appended_rows = 1_000_000, 2_700
    result.lower_bound_check = "match: 10 of 10 accounts equal, 0 differ"
    result.parse = {"parse_cold": m(12.0, 300 << 20), "parse_warm": m(4.0, 200 << 20)}
    result.slowest_models = [("model.stg_crm__activities", 9.5)]
    for measurement, load in zip(result.runs["full_models"], [1.5, 3.25, 2.0]):
        measurement.load_before = load
    return result


def test_table_has_medians_peaks_ratios_and_marks_fewer_runs():
    rows = benchmark.format_table([sample_result()], requested_runs=3)
    by_step = {row[1]: row for row in rows[1:]}
    # medians 40 s (models), 3 s (incremental), 5 s (bound); max of the peaks
    # the disk growth is the largest of the runs that measured it
    assert by_step["full build, models only"][2:] == ["3", "40.0 s", "30.0 s", "2.0 GiB", "3.0 GiB"]
    assert by_step["incremental daily run (+1 day)"][4] == "—"  # no inner time reported
    assert by_step["incremental daily run (+1 day)"][6] == "—"  # no disk growth measured
    assert by_step["dbt parse, no partial parse"][2:] == ["1", "12.0 s", "", "300.0 MiB", ""]
    assert by_step["dbt +account_health (fresh db)"][2] == "1 (fewer)"
    assert by_step["account_health / lower bound"][3] == "4.00×"  # 20 / 5
    assert by_step["incremental / full (models)"][3] == "0.07×"  # 3 / 40 = 0.075
    assert "full build with data tests" not in by_step  # not measured, not shown
    text = benchmark.render_text_table(rows)
    assert text.splitlines()[1].startswith("----")


def test_markdown_report(tmp_path):
    context = {"machine": {"cores": "2", "ram": "23.4 GiB", "cpu": "Test CPU"},
               "versions": {"Python": "3.11.2", "dbt-core": "1.11.16"}, "command": "benchmark.py --sizes 1M",
               "sample_interval": 0.2, "duckdb_settings": "threads=2", "notes": ["A finding."]}
    text = benchmark.render_markdown([sample_result()], 3, context)
    assert "2 cores (Test CPU), 23.4 GiB RAM" in text
    assert "Python 3.11.2, dbt-core 1.11.16" in text
    assert "```sh\nbenchmark.py --sizes 1M\n```" in text
    assert "| 1M csv | full build, models only | 3 | 40.0 s | 30.0 s | 2.0 GiB | 3.0 GiB |" in text
    assert "- `model.stg_crm__activities` 9.5 s" in text
    assert "Machine load (1-minute load average before each step; the machine has 2 cores): 1M csv 1.5–3.2." in text
    assert "Figures from fewer runs than asked: 1M csv dbt +account_health (fresh db) (1 of 3)." in text
    assert "| 1M csv | 25.0 s | 40.0 MiB | 300.0 MiB | 2,700 (0.27%) | match: 10 of 10" in text
    assert text.endswith("A finding.\n")


def test_a_report_of_sizes_measured_by_different_invocations_names_each_and_its_run_count():
    m = benchmark.Measurement
    earlier = benchmark.SizeResult(1_000_000, "csv", runs={"full_models": [m(40.0, 1 << 30)]},
                                   runs_requested=2, project="commit `aaa`", command="benchmark.py --runs 2")
    later = benchmark.SizeResult(10_000_000, "parquet", runs={"full_models": [m(300.0, 7 << 30)]},
                                 runs_requested=1, project="commit `bbb`", command="benchmark.py --runs 1")
    context = {"machine": {"cores": "2", "ram": "23.4 GiB", "cpu": "Test CPU"}, "versions": {},
               "command": "benchmark.py --runs 1", "project": "commit `bbb`", "sample_interval": 0.2,
               "duckdb_settings": ""}
    text = benchmark.render_markdown([earlier, later], 1, context)
    assert "the median of up to 2 runs per step" in text
    assert "- Project: per size, under Commands" in text
    assert ("## Commands\n\n1M csv: commit `aaa`\n\n```sh\nbenchmark.py --runs 2\n```\n\n"
            "10M parquet: commit `bbb`\n\n```sh\nbenchmark.py --runs 1\n```\n\n## Steps") in text
    assert "| 1M csv | full build, models only | 1 (fewer) |" in text
    assert "| 10M parquet | full build, models only | 1 |" in text
    assert "Figures from fewer runs than asked: 1M csv full build, models only (1 of 2)." in text
    # Results stored before sizes kept their invocation fall back to the report's own.
    assert "## Command\n\n```sh\nbenchmark.py --sizes 1M\n```" in benchmark.render_markdown(
        [sample_result()], 3, {**context, "command": "benchmark.py --sizes 1M"})


def test_rerun_keeps_the_hand_written_findings():
    previous = "# Benchmarks\n\n| old | figures |\n\n## Findings\n\n- Parquet reads faster.\n"
    assert benchmark.kept_findings(previous) == "## Findings\n\n- Parquet reads faster.\n"
    assert benchmark.kept_findings("# Benchmarks\n\nno findings yet\n") == ""
    context = {"machine": {"cores": "2", "ram": "1 GiB", "cpu": "x"}, "versions": {}, "command": "c",
               "sample_interval": 0.2, "duckdb_settings": "", "findings": benchmark.kept_findings(previous)}
    text = benchmark.render_markdown([sample_result()], 3, context)
    assert text.endswith("\n\n## Findings\n\n- Parquet reads faster.\n") and "| old |" not in text


def test_results_round_trip_through_json(tmp_path):
    result = sample_result()
    (tmp_path / "1M-csv.json").write_text(benchmark.result_to_json(result))
    small = benchmark.SizeResult(20_000, "parquet")
    (tmp_path / "20K-parquet.json").write_text(benchmark.result_to_json(small))
    loaded = benchmark.stored_results(tmp_path)
    assert [r.label for r in loaded] == ["20K parquet", "1M csv"]
    assert loaded[1] == result


def test_loads_belong_to_the_runs_that_are_kept():
    # A file written before loads were stored per run: its size-wide list is dropped, not mixed in.
    legacy = json.loads(benchmark.result_to_json(sample_result()))
    legacy["load_before"] = [9.0, 9.5]
    for run in legacy["runs"]["full_models"]:
        del run["load_before"]
    assert benchmark.result_from_json(json.dumps(legacy)).loads_before() == []
    # Re-measuring a step replaces its runs, and with them the loads read before them.
    result = sample_result()
    assert sorted(result.loads_before()) == [1.5, 2.0, 3.25]
    result.runs.pop("full_models")
    assert result.loads_before() == []


def test_machine_facts_from_proc(tmp_path):
    (tmp_path / "meminfo").write_text("MemTotal:       24576000 kB\nMemFree: 1 kB\n")
    (tmp_path / "cpuinfo").write_text("processor\t: 0\nmodel name\t: Test CPU\n\nprocessor\t: 1\nmodel name\t: Test CPU\n")
    assert benchmark.machine_facts(tmp_path) == {"cores": "2", "ram": "23.4 GiB", "cpu": "Test CPU"}


def test_disk_estimate_scales_with_size_and_counts_what_the_steps_keep():
    every_step = list(benchmark.STEPS)
    assert (benchmark.estimate_disk_bytes(100_000_000, "csv", every_step)
            == 100 * benchmark.estimate_disk_bytes(1_000_000, "csv", every_step))
    # Every step: export 315 B + daily copy 265 B + 3 databases (two kept, the daily run's copy of the
    # full build) of 250 B + spill room 400 B. The full build alone: export + its database + spill.
    assert benchmark.estimate_disk_bytes(1_000_000, "csv", every_step) == 1_730_000_000
    assert benchmark.estimate_disk_bytes(1_000_000, "csv", ["full_models"]) == 965_000_000
    assert benchmark.estimate_disk_bytes(1_000_000, "parquet", ["lower_bound"]) == 715_000_000


def test_a_kept_database_is_moved_with_its_wal(tmp_path):
    source, kept = tmp_path / "build.duckdb", tmp_path / "full_models.duckdb"
    for path, text in ((source, "new"), (Path(f"{source}.wal"), "log"), (kept, "old")):
        path.write_text(text)
    (tmp_path / "build.duckdb.tmp").mkdir()
    benchmark.move_database(source, kept)
    assert kept.read_text() == "new" and Path(f"{kept}.wal").read_text() == "log"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full_models.duckdb", "full_models.duckdb.wal"]


def test_a_measurement_reports_the_disk_it_filled(tmp_path):
    argv = [sys.executable, "-c", f"import time; open({str(tmp_path / 'blob')!r}, 'wb').write(bytes(50_000_000)); "
            "time.sleep(0.5)"]
    measurement = benchmark.run_measured(argv, {}, tmp_path / "log.txt", interval=0.05)
    assert measurement.peak_disk_growth >= 40_000_000


# ----------------------------------------------------------------------------- measurement

def test_peak_rss_counts_grandchildren(tmp_path):
    # A shell (child) starts Python (grandchild) that holds 200 MB: the tree's peak must include it.
    argv = ["sh", "-c", f"{sys.executable} -c 'import time; b = bytearray(200_000_000); time.sleep(1.0)'"]
    measurement = benchmark.run_measured(argv, {}, tmp_path / "log.txt", interval=0.05)
    assert measurement.peak_rss >= 200_000_000
    assert measurement.seconds >= 1.0


def test_failed_command_names_its_log_and_keeps_its_figures(tmp_path):
    argv = ["sh", "-c", "echo 'IO Error: No space left on device'; sleep 0.3; exit 3"]
    with pytest.raises(benchmark.StepFailed, match="exit 3") as failure:
        benchmark.run_measured(argv, {}, tmp_path / "log.txt", interval=0.05)
    assert failure.value.measurement.seconds >= 0.3
    assert failure.value.measurement.failed == "IO Error: No space left on device"


def test_a_failed_run_is_marked_in_the_table_and_named_in_the_report():
    result = sample_result()
    result.runs["full_tests"] = [benchmark.Measurement(900.0, 15 << 30, failed="IO Error: No space left on device")]
    # A failed run's time is how far it got: it enters no median and no ratio; its peak RSS counts.
    result.runs["full_models"].append(benchmark.Measurement(5.0, 4 << 30, failed="killed"))
    rows = benchmark.format_table([result], requested_runs=1)
    by_step = {row[1]: row for row in rows[1:]}
    assert by_step["full build with data tests"][2:6] == ["1, 1 failed", "—", "—", "15.0 GiB"]
    assert by_step["full build, models only"][2:6] == ["4, 1 failed", "40.0 s", "30.0 s", "4.0 GiB"]
    assert by_step["incremental / full (models)"][3] == "0.07×"  # 3 / 40, not 3 / the failed 5
    context = {"machine": {"cores": "2", "ram": "1 GiB", "cpu": "x"}, "versions": {}, "command": "c",
               "sample_interval": 0.2, "duckdb_settings": ""}
    text = benchmark.render_markdown([result], 1, context)
    assert ("Failed runs (their figures are those up to the failure): 1M csv full build, models only: "
            "failed after 5.0 s: killed; 1M csv full build with data tests: failed after 900.0 s: "
            "IO Error: No space left on device.") in text


# ----------------------------------------------------------------------------- exports

TASK_HEADER = ["id", "owner_id", "who_id", "what_id", "account_id", "type", "task_subtype", "status", "call_type",
               "is_closed", "activity_date", "completed_date_time", "created_date", *SYSTEM]
EVENT_HEADER = ["id", "owner_id", "who_id", "what_id", "account_id", "type", "event_subtype", "event_status_c",
                "start_date_time", "is_all_day_event", "created_date", *SYSTEM]


def task(id_, account, day, contact="", status="Completed", call_type="Outbound", created=None, deleted="false"):
    """A call logged on 2026-10-<day>; closed unless its status says otherwise."""
    stamp = f"2026-10-{day:02d}T10:00:00.000+0000"
    closed = "true" if status == "Completed" else "false"
    return [id_, "U1", contact, "", account, "Call", "", status, call_type, closed, f"2026-10-{day:02d}", stamp,
            created or stamp, stamp, stamp, deleted, "false"]


def test_append_one_day_adds_an_average_day_moved_to_the_next_day(tmp_path):
    base = tmp_path / "base"
    # 70 tasks created over the last seven days (Oct 14-20) and 70 older ones: the new day holds
    # about one in seven of the recent ones, all moved to Oct 21, none of the older ones.
    rows = [task(f"T{i:03d}", "A1", 14 + i % 7) for i in range(70)]
    rows += [task(f"O{i:03d}", "A1", 1 + i % 5) for i in range(70)]
    write_csv(base, "task", TASK_HEADER, rows)
    write_csv(base, "event", EVENT_HEADER, [["E1", "U1", "", "", "A1", "Meeting", "", "Completed",
                                             "2026-10-25T15:00:00.000+0000", "false", "2026-10-20T09:30:00.000+0000",
                                             STAMP, STAMP, "false", "false"]])
    write_csv(base, "account", ["id", "owner_id"], [["A1", "U1"]])
    total, appended = benchmark.append_one_day(base, tmp_path / "daily")
    assert total == 141
    connection = duckdb.connect()
    new = connection.sql(f"select id, activity_date, completed_date_time, created_date from read_csv("
                         f"'{tmp_path / 'daily' / 'task.csv'}', all_varchar = true) where id like '%-d1'").fetchall()
    new_events = connection.sql(f"select id, start_date_time, created_date from read_csv("
                                f"'{tmp_path / 'daily' / 'event.csv'}', all_varchar = true) where id like '%-d1'").fetchall()
    assert appended == len(new) + len(new_events)
    assert 3 <= len(new) <= 20  # hash sampling: about 10 of the 70 recent tasks
    assert all(row[0].startswith("T") for row in new)
    assert {row[1] for row in new} == {"2026-10-21"}
    assert {row[2] for row in new} == {"2026-10-21T10:00:00.000+0000"}
    for id_, start, created in new_events:  # a meeting booked on Oct 20 for Oct 25 moves by one day
        assert (id_, start, created) == ("E1-d1", "2026-10-26T15:00:00.000+0000", "2026-10-21T09:30:00.000+0000")
    base_rows = connection.sql(f"select count(*) from read_csv('{tmp_path / 'daily' / 'task.csv'}') "
                               "where id not like '%-d1'").fetchone()[0]
    assert base_rows == 140
    assert (tmp_path / "daily" / "account.csv").read_text() == (base / "account.csv").read_text()


# ----------------------------------------------------------------------------- lower bound

def lower_bound_export(folder: Path) -> Path:
    """SMB SDR book (seeds: month threshold 6 qualifying activities, 2 contacts; calls count,
    meetings do not). as_of = 2026-10-20, the last task creation day; last period = October."""
    write_csv(folder, "user_role", ["id", "name", "system_modstamp", "_fivetran_synced", "_fivetran_deleted"],
              [["R1", "SMB SDR", STAMP, STAMP, "false"]])
    write_csv(folder, "user", ["id", "user_role_id", "system_modstamp", "_fivetran_synced", "_fivetran_deleted"],
              [["U1", "R1", STAMP, STAMP, "false"]])
    write_csv(folder, "account", ["id", "owner_id", "created_date", *SYSTEM], [
        live("GREEN", "U1", "2025-01-01T00:00:00Z"),
        live("YELLOW", "U1", "2025-01-01T00:00:00Z"),
        live("RED", "U1", "2025-01-01T00:00:00Z"),
        live("LATE", "U1", "2026-11-15T00:00:00Z"),      # created after October, never touched: no row
        ["GONE", "U1", "2025-01-01T00:00:00Z", STAMP, STAMP, "true", "false"],  # deleted: no row
        live("NOBOOK", "U9", "2025-01-01T00:00:00Z"),    # unknown owner: default AE Mid-Market book
    ])
    write_csv(folder, "contact", ["id", "account_id", *SYSTEM],
              [live("C1", "GREEN"), live("C2", "GREEN"), live("C3", "YELLOW"), live("C4", "NOBOOK")])
    write_csv(folder, "lead", ["id", "is_converted", "converted_account_id", "created_date", *SYSTEM], [])
    write_csv(folder, "opportunity", ["id", "account_id", "created_date", "close_date", *SYSTEM], [])
    tasks = [task(f"G{i}", "", 2 + i, contact="C1" if i % 2 else "C2") for i in range(6)]  # 6 calls, 2 contacts
    tasks += [task("Y1", "", 3, contact="C3"), task("Y2", "", 4, contact="C3", status="Not Started"),
              task("R2", "RED", 19, deleted="true")]
    tasks += [task(f"N{i}", "NOBOOK", 5 + i, contact="C4") for i in range(3)]
    tasks += [task("R1", "RED", 20, call_type="Internal")]  # a call between colleagues: no touch
    write_csv(folder, "task", TASK_HEADER, tasks)
    write_csv(folder, "event", EVENT_HEADER, [["E1", "U1", "C1", "", "YELLOW", "Meeting", "", "Canceled",
                                               "2026-10-10T10:00:00.000+0000", "false", STAMP, *live()]])
    return folder


def test_lower_bound_statuses_on_a_hand_written_export(tmp_path):
    export = lower_bound_export(tmp_path / "export")
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    rows = connection.sql(benchmark.lower_bound_sql(export)).fetchall()
    statuses = {account: status for account, _, status in rows}
    # GREEN: 6 completed calls in October on 2 contacts meets 6 / 2. YELLOW: one completed call on 1
    # contact (the open task and the canceled meeting are no touches). RED: its calls are internal
    # or deleted. NOBOOK: 3 calls, below the AE Mid-Market month minimum.
    assert statuses == {"GREEN": "green", "YELLOW": "yellow", "RED": "red", "NOBOOK": "yellow"}
    assert {str(period) for _, period, _ in rows} == {"2026-10-01"}


def test_report_only_renders_stored_figures_and_keeps_findings(tmp_path, capsys):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "1M-csv.json").write_text(benchmark.result_to_json(sample_result()))
    (tmp_path / "about.json").write_text('{"project": "commit abc", "command": "benchmark.py --sizes 1M", '
                                         '"duckdb_settings": ""}')
    report = tmp_path / "benchmarks.md"
    report.write_text("# Benchmarks\n\nold figures\n\n## Findings\n\n- kept.\n")
    assert benchmark.main(["--report-only", "--workdir", str(tmp_path), "--output", str(report)]) == 0
    text = report.read_text()
    assert "| 1M csv | full build, models only | 3 | 40.0 s | 30.0 s | 2.0 GiB | 3.0 GiB |" in text
    assert "old figures" not in text and text.endswith("## Findings\n\n- kept.\n")
    assert "- Project: commit abc" in text and "benchmark.py --sizes 1M" in text
    assert "1M csv  full build, models only" in capsys.readouterr().out


def test_a_size_that_does_not_fit_on_disk_is_refused_before_generating(tmp_path, monkeypatch):
    args = benchmark.build_parser().parse_args(["--workdir", str(tmp_path), "--quiet"])
    monkeypatch.setattr(benchmark.shutil, "disk_usage", lambda path: type("u", (), {"free": 10 << 30})())
    bench = benchmark.Bench(args)
    bench.check_disk(1_000_000, "csv", list(benchmark.STEPS))  # 1.7 GB needed, 10 GiB free
    with pytest.raises(SystemExit, match="100M activities need about 161.1 GiB"):
        bench.check_disk(100_000_000, "csv", list(benchmark.STEPS))


def test_over_budget_every_size_and_format_still_gets_its_first_run(tmp_path, monkeypatch):
    args = benchmark.build_parser().parse_args(["--workdir", str(tmp_path), "--quiet", "--sizes", "1M,10M",
                                                "--formats", "csv,parquet", "--budget-minutes", "1"])
    bench = benchmark.Bench(args)
    monkeypatch.setattr(benchmark.time, "monotonic", iter([0.0, *[3600.0] * 10]).__next__)
    asked = []
    monkeypatch.setattr(bench, "run_size", lambda activities, export_format: asked.append(
        (activities, export_format)) or bench.over_budget())
    assert bench.main() == [True] * 4
    assert asked == [(1_000_000, "csv"), (1_000_000, "parquet"), (10_000_000, "csv"), (10_000_000, "parquet")]


def test_a_parquet_export_derived_from_the_csv_one_equals_the_generators(tmp_path):
    """A stored CSV export spares a second 100M generation: its conversion must be the very export
    `--format parquet` writes (same files, same rows, same manifest but for the format)."""
    generate = [sys.executable, str(benchmark.GENERATOR), "--activities", "500", "--no-gzip", "--quiet"]
    subprocess.run([*generate, "--out", str(tmp_path / "csv")], check=True)
    subprocess.run([*generate, "--out", str(tmp_path / "generated"), "--format", "parquet"], check=True)
    assert benchmark.export_matches(tmp_path / "csv", 500, "csv")
    assert not benchmark.export_matches(tmp_path / "csv", 500, "parquet")

    benchmark.derive_parquet_export(tmp_path / "csv", tmp_path / "derived")

    assert benchmark.export_matches(tmp_path / "derived", 500, "parquet")
    generated = sorted(path.name for path in (tmp_path / "generated").iterdir())
    assert sorted(path.name for path in (tmp_path / "derived").iterdir()) == generated
    assert "task.parquet" in generated
    with duckdb.connect() as connection:
        for name in generated:
            if name.endswith(".parquet"):
                derived, made = (f"read_parquet('{tmp_path / kind / name}')" for kind in ("derived", "generated"))
                assert connection.sql(f"describe select * from {derived}").fetchall() == \
                    connection.sql(f"describe select * from {made}").fetchall(), name
                differing = connection.sql(f"select count(*) from ((select * from {derived} except all "
                                           f"select * from {made}) union all (select * from {made} "
                                           f"except all select * from {derived}))").fetchone()[0]
                assert differing == 0, name
    manifests = [json.loads((tmp_path / kind / "generation_manifest.json").read_text())
                 for kind in ("derived", "generated")]
    assert manifests[0] == manifests[1]
