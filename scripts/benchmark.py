#!/usr/bin/env python3
"""Benchmark the build at scale against the one-pass lower bound (issue 6).

For each size, generates a Salesforce export with scripts/generate_demo_data.py and measures, on the
same files, each in a fresh process, wall time and the peak resident memory of the whole process
tree (sampled from /proc):

- full_models    `dbt build --exclude resource_type:test resource_type:unit_test` on a new database
                 (seeds and every model: a fresh database has no seeds, so `dbt run` alone cannot build);
- full_tests     `dbt build --exclude resource_type:unit_test` on a new database (every data test;
                 unit tests are left out because they run on fixed fixtures whatever the export size);
- incremental    the full_models command again, on a copy of the full_models database, after one day
                 (~0.3 % new rows) is appended to the task and event files: the daily run;
- account_health `dbt build --select +account_health` (tests excluded) on a new database: what dbt
                 must do for that one mart;
- lower_bound    one hand-written DuckDB statement over the export files computing the health status
                 of every account for the last period: the least work any tool could do.

The export folder is reached through a symlink (`<workdir>/exports/<size>-<format>/current`) that
points at the base export or the appended one, so every dbt command sees the same vars and dbt's
partial parsing stays valid between steps. Prints a table and writes a Markdown report.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
DBT = PYTHON.with_name("dbt")
GENERATOR = REPO / "scripts" / "generate_demo_data.py"

STEPS = ("full_models", "full_tests", "incremental", "account_health", "lower_bound")
# Steps whose database is kept after the step: the daily run starts from the full build, and the
# lower bound is checked against the +account_health mart.
KEPT_DATABASES = ("full_models", "account_health")
NO_TESTS = ("--exclude", "resource_type:test", "resource_type:unit_test")
DBT_PROJECT_PATHS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "analyses")
DBT_COMMANDS = {
    "full_models": ("build", *NO_TESTS),
    "full_tests": ("build", "--exclude", "resource_type:unit_test"),
    "incremental": ("build", *NO_TESTS),
    "account_health": ("build", "--select", "+account_health", *NO_TESTS),
}
STEP_LABELS = {
    "full_models": "full build, models only",
    "full_tests": "full build with data tests",
    "incremental": "incremental daily run (+1 day)",
    "account_health": "dbt +account_health (fresh db)",
    "lower_bound": "one-pass lower bound (DuckDB SQL)",
}
PARSE_LABELS = {"parse_cold": "dbt parse, no partial parse", "parse_warm": "dbt parse, partial (unchanged)"}
ACTIVITY_OBJECTS = ("task", "event")
# Export columns holding a date or a time: shifted by one day in the appended rows.
TIME_COLUMN_MARKERS = ("date", "time", "modstamp", "synced")
SUFFIXES = {"K": 1_000, "M": 1_000_000, "G": 1_000_000_000}


# ----------------------------------------------------------------------------- pure helpers

def parse_size(text: str) -> int:
    """'1M' -> 1_000_000, '250K' -> 250_000, '5000' -> 5000."""
    value = text.strip().upper()
    if not value:
        raise argparse.ArgumentTypeError("empty size")
    multiplier = SUFFIXES.get(value[-1], 1)
    number = value[:-1] if value[-1] in SUFFIXES else value
    try:
        amount = float(number) * multiplier
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"size '{text}' is not a number like 1M, 250K or 5000") from error
    if amount < 1 or amount != int(amount):
        raise argparse.ArgumentTypeError(f"size '{text}' must be a positive whole number of activities")
    return int(amount)


def parse_sizes(text: str) -> list[int]:
    return [parse_size(part) for part in text.split(",") if part.strip()]


def size_label(activities: int) -> str:
    for suffix, multiplier in sorted(SUFFIXES.items(), key=lambda item: -item[1]):
        if activities >= multiplier and activities % multiplier == 0:
            return f"{activities // multiplier}{suffix}"
    return str(activities)


def parse_steps(text: str) -> list[str]:
    steps = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [step for step in steps if step not in STEPS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(STEPS)}")
    return steps


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def format_seconds(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.1f} s"


def format_bytes(count: float | None) -> str:
    if count is None:
        return "—"
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{int(count)} B"


def format_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


@dataclass
class Measurement:
    seconds: float
    peak_rss: int
    # Time the work itself took, as the tool reports it (dbt's run_results elapsed_time, the lower
    # bound's query time): the rest of the wall time is start-up, parsing and hooks.
    inner_seconds: float | None = None
    # 1-minute load average before the run: other work on a shared machine inflates the figures.
    load_before: float | None = None
    # How far the used space of the workdir's file system rose above its level at the start (the
    # database being written, DuckDB's spill files): what a size needs on disk beyond its export.
    peak_disk_growth: int | None = None
    # Why the command failed (the last error line of its log); its figures are those up to the failure.
    failed: str | None = None


@dataclass
class SizeResult:
    activities: int
    export_format: str
    runs: dict[str, list[Measurement]] = field(default_factory=dict)
    generation: Measurement | None = None
    export_bytes: int | None = None
    appended_rows: int | None = None
    base_rows: int | None = None
    lower_bound_check: str | None = None
    parse: dict[str, Measurement] = field(default_factory=dict)
    slowest_models: list[tuple[str, float]] = field(default_factory=list)
    # The invocation that ran this size's latest steps: a report combines sizes measured by
    # different commands, on different commits, with different run counts. None in older files.
    runs_requested: int | None = None
    project: str | None = None
    command: str | None = None

    @property
    def label(self) -> str:
        return f"{size_label(self.activities)} {self.export_format}"

    def runs_asked(self, default: int) -> int:
        """How many runs of each step were asked for (`default`, the report's, for older files)."""
        return self.runs_requested or default

    def completed(self, step: str) -> list[Measurement]:
        """The runs of a step that finished: a failed run's time is only how far it got, so it never
        enters a median or a ratio (its memory and disk figures do count: they were really used)."""
        return [m for m in self.runs.get(step, []) if m.failed is None]

    def seconds(self, step: str) -> float | None:
        return median([m.seconds for m in self.completed(step)])

    def inner_seconds(self, step: str) -> float | None:
        return median([m.inner_seconds for m in self.completed(step) if m.inner_seconds is not None])

    def peak_rss(self, step: str) -> int | None:
        values = [m.peak_rss for m in self.runs.get(step, [])]
        return max(values) if values else None

    def peak_disk_growth(self, step: str) -> int | None:
        values = [m.peak_disk_growth for m in self.runs.get(step, []) if m.peak_disk_growth is not None]
        return max(values) if values else None

    def loads_before(self) -> list[float]:
        """The load average before each run kept in `runs`, so a re-measured step drops its old ones."""
        return [m.load_before for ms in self.runs.values() for m in ms if m.load_before is not None]

    def ratios(self) -> dict[str, float | None]:
        return {
            "account_health / lower bound": ratio(self.seconds("account_health"), self.seconds("lower_bound")),
            "incremental / full (models)": ratio(self.seconds("incremental"), self.seconds("full_models")),
        }


def result_to_json(result: SizeResult) -> str:
    return json.dumps(asdict(result), indent=1)


def result_from_json(text: str) -> SizeResult:
    data = json.loads(text)
    measurement = lambda item: Measurement(**item) if item else None  # noqa: E731
    data["runs"] = {step: [measurement(m) for m in ms] for step, ms in data["runs"].items()}
    data["parse"] = {name: measurement(m) for name, m in data["parse"].items()}
    data["generation"] = measurement(data["generation"])
    data["slowest_models"] = [tuple(item) for item in data["slowest_models"]]
    # Older files kept one list of loads per size, which grew with every invocation; loads are
    # now stored with each run.
    data.pop("load_before", None)
    return SizeResult(**data)


def stored_results(folder: Path) -> list[SizeResult]:
    """Every size measured in this workdir (one JSON file per size and format), smallest first."""
    results = [result_from_json(path.read_text()) for path in sorted(folder.glob("*.json"))]
    return sorted(results, key=lambda result: (result.activities, result.export_format))


def format_table(results: list[SizeResult], requested_runs: int) -> list[list[str]]:
    """Rows of the results table: one per size and step, then the ratios."""
    header = ["size", "step", "runs", "median wall", "of which work", "peak RSS (tree)", "peak disk growth"]
    rows = [header]
    for result in results:
        for name, measurement in result.parse.items():
            rows.append([result.label, PARSE_LABELS[name], "1", format_seconds(measurement.seconds), "",
                         format_bytes(measurement.peak_rss), ""])
        for step in STEPS:
            measurements = result.runs.get(step)
            if not measurements:
                continue
            fewer = len(measurements) < result.runs_asked(requested_runs)
            runs = str(len(measurements)) + (" (fewer)" if fewer else "")
            failures = sum(m.failed is not None for m in measurements)
            if failures:
                runs += f", {failures} failed"
            rows.append([result.label, STEP_LABELS[step], runs, format_seconds(result.seconds(step)),
                         format_seconds(result.inner_seconds(step)), format_bytes(result.peak_rss(step)),
                         format_bytes(result.peak_disk_growth(step))])
        for name, value in result.ratios().items():
            if value is not None:
                rows.append([result.label, name, "", format_ratio(value), "", "", ""])
    return rows


def render_text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def render_markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def machine_facts(proc: Path = Path("/proc")) -> dict[str, str]:
    """Cores and RAM from /proc (what the figures depend on), plus the CPU model."""
    facts = {"cores": str(os.cpu_count() or "?"), "ram": "?", "cpu": platform.processor() or "?"}
    try:
        for line in (proc / "meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                facts["ram"] = format_bytes(int(line.split()[1]) * 1024)
        cpuinfo = (proc / "cpuinfo").read_text().splitlines()
        facts["cores"] = str(sum(1 for line in cpuinfo if line.startswith("processor")) or facts["cores"])
        models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
        if models:
            facts["cpu"] = models[0]
    except OSError:
        pass
    return facts


def package_versions() -> dict[str, str]:
    versions = {"Python": platform.python_version()}
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


FINDINGS_HEADING = "## Findings"


def kept_findings(previous_report: str) -> str:
    """The hand-written findings of an earlier report (its `## Findings` section to the end), which a
    rerun keeps so that only the measured figures are replaced."""
    position = previous_report.find(FINDINGS_HEADING)
    return previous_report[position:].strip() + "\n" if position >= 0 else ""


def render_markdown(results: list[SizeResult], requested_runs: int, context: dict) -> str:
    """The report: machine, versions, commands, figures, and which figures had fewer runs."""
    facts, versions = context["machine"], context["versions"]
    measured_by: dict[tuple[str, str], list[str]] = {}
    for result in results:
        provenance = (result.project or context.get("project", "the working tree"), result.command or context["command"])
        measured_by.setdefault(provenance, []).append(result.label)
    if len(measured_by) == 1:
        (project, command), = measured_by
        provenance_lines = ["## Command", "", "```sh", command, "```"]
    else:
        project = "per size, under Commands"
        provenance_lines = ["## Commands", ""]
        for (size_project, command), labels in measured_by.items():
            provenance_lines += [f"{', '.join(labels)}: {size_project}", "", "```sh", command, "```", ""]
        provenance_lines.pop()
    most_runs = max([result.runs_asked(requested_runs) for result in results], default=requested_runs)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `scripts/benchmark.py`; rerun with the {'commands' if len(measured_by) > 1 else 'command'} "
        "below to refresh it. Wall times are "
        f"the median of up to {most_runs} runs per step; peak RSS is the largest sum of the resident "
        "memory of a step's whole process tree (dbt and any child), sampled from /proc every "
        f"{context['sample_interval']} s, over its runs; peak disk growth is how far the used space of "
        "the workdir's file system rose during a step (the database it writes, DuckDB's spill files).",
        "",
        "## Machine and versions",
        "",
        f"- {facts['cores']} cores ({facts['cpu']}), {facts['ram']} RAM; the load average before each "
        "step is under Results (a load above the core count means other work shared the machine).",
        "- " + ", ".join(f"{name} {version}" for name, version in versions.items()),
        f"- DuckDB settings: {context['duckdb_settings']}",
        f"- Project: {project}",
        "",
        *provenance_lines,
        "",
        "## Steps",
        "",
    ]
    for step in STEPS:
        command = DBT_COMMANDS.get(step)
        how = (f"`dbt {' '.join(command)}`" if command
               else "one DuckDB statement (`lower_bound_sql()` in the script) in a fresh Python process")
        lines.append(f"- **{STEP_LABELS[step]}**: {how}")
    lines += [
        "",
        "Every dbt step runs in a fresh process against the same export files, with partial parsing "
        "warm (one `dbt parse` first). The full and `+account_health` steps start from a new database "
        "file; the incremental step starts from a copy of the database the full build left and reads the "
        "export with one more day of tasks and events appended.",
        "",
        "## Results",
        "",
        "*of which work*: dbt's own `elapsed_time` (run_results.json; it starts after start-up and "
        "parsing) or the lower bound's query time; the rest of the wall time is process start-up, "
        "parsing and connecting.",
        "",
        render_markdown_table(format_table(results, requested_runs)),
        "",
    ]
    fewer = [f"{result.label} {STEP_LABELS[step]} ({len(ms)} of {result.runs_asked(requested_runs)})"
             for result in results for step, ms in result.runs.items()
             if 0 < len(ms) < result.runs_asked(requested_runs)]
    lines.append("Figures from fewer runs than asked: " + ("; ".join(fewer) if fewer else "none") + ".")
    failed = [f"{result.label} {STEP_LABELS[step]}: failed after {format_seconds(m.seconds)}: {m.failed}"
              for result in results for step, ms in result.runs.items() for m in ms if m.failed]
    if failed:
        lines += ["", "Failed runs (their figures are those up to the failure): " + "; ".join(failed) + "."]
    loads = [(result.label, min(result.loads_before()), max(result.loads_before())) for result in results
             if result.loads_before()]
    if loads:
        lines += ["", "Machine load (1-minute load average before each step; the machine has "
                  f"{facts['cores']} cores): " + "; ".join(f"{label} {low:.1f}–{high:.1f}" for label, low, high in loads)
                  + "."]
    lines += ["", "## Exports", "", "| size | generation | generator peak RSS | export on disk | rows appended "
              "(one day) | lower bound vs mart, last period |", "|---|---|---|---|---|---|"]
    for result in results:
        generation = result.generation
        appended = (f"{result.appended_rows:,} ({result.appended_rows / result.base_rows:.2%})"
                    if result.appended_rows is not None and result.base_rows else "—")
        lines.append(
            f"| {result.label} | {format_seconds(generation.seconds if generation else None)} | "
            f"{format_bytes(generation.peak_rss if generation else None)} | {format_bytes(result.export_bytes)} | "
            f"{appended} | {result.lower_bound_check or '—'} |")
    for result in results:
        if result.slowest_models:
            lines += ["", f"Slowest nodes of the last full build, models only ({result.label}):", ""]
            lines += [f"- `{name}` {seconds:.1f} s" for name, seconds in result.slowest_models]
    for extra in context.get("notes", []):
        lines += ["", extra]
    findings = context.get("findings")
    return "\n".join(lines) + "\n" + ("\n" + findings if findings else "")


# ----------------------------------------------------------------------------- process measurement

def _tree_rss(root: int, page_size: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields after the last ')' are fixed.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page_size
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(children.get(pid, []))
    return total


def _used_bytes(path: Path) -> int:
    """Used space of the file system holding path."""
    stats = os.statvfs(path)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


def run_measured(argv: list[str], env: dict[str, str], log_path: Path, interval: float) -> Measurement:
    """Run a command, sampling the resident memory of its process tree and the used space of the
    log's file system (the workdir); raise if it fails."""
    page_size = os.sysconf("SC_PAGE_SIZE")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        start = time.perf_counter()
        used_at_start = _used_bytes(log_path.parent)
        process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak = 0
        peak_used = used_at_start
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, peak_used
            while not done.is_set():
                peak = max(peak, _tree_rss(process.pid, page_size))
                peak_used = max(peak_used, _used_bytes(log_path.parent))
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    measurement = Measurement(seconds, peak, peak_disk_growth=peak_used - used_at_start)
    if returncode != 0:
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        errors = [line.strip() for line in lines if "Error" in line and ":" in line]
        measurement.failed = (errors[-1] if errors else f"exit {returncode}")[:300]
        tail = "\n".join(lines[-25:])
        raise StepFailed(f"command failed (exit {returncode}): {' '.join(argv)}\nlog: {log_path}\n{tail}",
                         measurement)
    return measurement


class StepFailed(RuntimeError):
    """A measured command that failed, with its figures up to the failure (at 100M, what ran out
    is itself a result)."""

    def __init__(self, message: str, measurement: Measurement) -> None:
        super().__init__(message)
        self.measurement = measurement


# ----------------------------------------------------------------------------- exports

def export_reader(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix == ".parquet":
        return f"read_parquet('{quoted}')"
    return f"read_csv('{quoted}', header = true, all_varchar = true)"


def export_file(folder: Path, name: str) -> Path:
    for extension in ("csv", "csv.gz", "parquet"):
        candidate = folder / f"{name}.{extension}"
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"no {name}.csv, {name}.csv.gz or {name}.parquet in {folder}")


def folder_bytes(folder: Path) -> int:
    """Bytes of the files under `folder`, which may be written to meanwhile (a DuckDB spill folder)."""
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except FileNotFoundError:  # removed while walking: DuckDB drops a spill file once its query ends
            pass
    return total


def shifted_time_sql(column: str, days: str) -> str:
    """A date or timestamp text moved by `days` (an SQL expression), in the export's own formats;
    other text as is."""
    quoted = '"' + column.replace('"', '""') + '"'
    return (
        f"case when try_cast({quoted} as date) is not null and length(trim({quoted})) = 10"
        f" then strftime(try_cast({quoted} as date) + to_days({days}), '%Y-%m-%d')"
        f" when try_cast({quoted} as timestamptz) is not null"
        f" then strftime(timezone('UTC', try_cast({quoted} as timestamptz)) + to_days({days}),"
        f" '%Y-%m-%dT%H:%M:%S.%g+0000')"
        f" else {quoted} end"
    )


def append_one_day(base: Path, daily: Path) -> tuple[int, int]:
    """Write `daily`: the base export plus one more day of tasks and events.

    The new day (the day after the last one any activity was created on) holds one in seven of the
    activity rows created in the export's last seven days, each moved to that day: the volume of an
    average day (weekends included) and its mix. Ids are new; every date and time of a row moves by
    the same number of days. Other objects are hard-linked (or copied). Returns (activity rows in
    the base export, rows appended).
    """
    import duckdb

    if daily.exists():
        shutil.rmtree(daily)
    daily.mkdir(parents=True)
    sources = {name: export_file(base, name) for name in ACTIVITY_OBJECTS}
    for path in base.iterdir():
        if path.is_file() and path not in sources.values():
            try:
                os.link(path, daily / path.name)
            except OSError:
                shutil.copy2(path, daily / path.name)
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    created = "cast(timezone('UTC', try_cast(created_date as timestamptz)) as date)"
    created_days = " union all ".join(f"select {created} as day from {export_reader(path)}"
                                      for path in sources.values())
    last_day = connection.sql(f"select max(day) from ({created_days})").fetchone()[0]
    days = f"cast(datediff('day', {created}, date '{last_day}') + 1 as integer)"
    total = appended = 0
    for path in sources.values():
        reader = export_reader(path)
        columns = [row[0] for row in connection.sql(f"describe select * from {reader}").fetchall()]
        as_text, shifted = [], []
        for column in columns:
            quoted = '"' + column.replace('"', '""') + '"'
            if column == "id":
                expression = "case when nullif(trim(id), '') is not null then id || '-d1' end"
            elif any(marker in column.lower() for marker in TIME_COLUMN_MARKERS):
                expression = shifted_time_sql(column, days)
            else:
                expression = quoted
            as_text.append(f"cast({quoted} as varchar) as {quoted}")
            shifted.append(f"cast({expression} as varchar) as {quoted}")
        new_rows = (f"select {', '.join(shifted)} from {reader} where {created} > date '{last_day}' - 7"
                    " and hash(id) % 7 = 0")
        if path.suffix == ".parquet":
            options = "(format parquet)"
        else:
            options = "(header true, compression gzip)" if path.name.endswith(".gz") else "(header true)"
        connection.execute(f"copy (select {', '.join(as_text)} from {reader} union all {new_rows}) "
                           f"to '{daily / path.name}' {options}")
        total += connection.sql(f"select count(*) from {reader}").fetchone()[0]
        appended += connection.sql(f"select count(*) from ({new_rows})").fetchone()[0]
    connection.close()
    return total, appended


def point_current(link: Path, target: Path) -> None:
    """Atomically repoint the export symlink every dbt step reads."""
    temporary = link.with_name(link.name + ".new")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(target)
    os.replace(temporary, link)


# ----------------------------------------------------------------------------- lower bound

def _ts(column: str) -> str:
    return f"timezone('UTC', try_cast({column} as timestamptz))"


def _bool(column: str) -> str:
    return (f"(case when lower(trim({column})) in ('true', 't', '1', 'yes', 'y') then true"
            f" when lower(trim({column})) in ('false', 'f', '0', 'no', 'n') then false end)")


def _label(column: str) -> str:
    return f"nullif(regexp_replace(lower(trim({column})), '\\s+', ' ', 'g'), '')"


def _sql_list(values: list[str]) -> str:
    return "(" + ", ".join("'" + str(value).lower().replace("'", "''") + "'" for value in values) + ")"


def _staged(reader: str, columns: str, quarantined: str, deleted: str = "is_deleted, _fivetran_deleted") -> str:
    """Latest version of each record (modstamp, then sync, then file position) that is not quarantined."""
    flags = " or ".join(f"coalesce({_bool(flag.strip())}, false)" for flag in deleted.split(","))
    return (
        f"select * from (select {columns}, {flags} as is_deleted, ({quarantined}) as is_quarantined,"
        f" row_number() over (partition by id order by {_ts('system_modstamp')} desc nulls last,"
        f" {_ts('_fivetran_synced')} desc nulls last, file_row desc) as version_rank"
        f" from (select *, row_number() over () as file_row from {reader}))"
        f" where version_rank = 1 and not is_quarantined"
    )


def _blank(column: str) -> str:
    return f"({column} is null or trim({column}) = '')"


def _unreadable(column: str, parsed: str) -> str:
    return f"({column} is not null and trim({column}) <> '' and {parsed} is null)"


def lower_bound_sql(export: Path, vars_: dict | None = None, seeds: Path = REPO / "seeds") -> str:
    """One statement: the health status of every live account for the last report month.

    Every join is an equi-join: a condition on one side only in a LEFT JOIN's ON clause makes DuckDB
    fall back to a nested-loop join. Mirrors the definitions the marts use (DOMAIN.md; staging, int_accounts_*, account_health) for a
    Salesforce export: the latest non-quarantined version of each record, the activity's account
    resolved account -> contact -> opportunity -> converted lead, touches as completed, non-internal,
    non-deleted activities up to the as-of date (the last day any activity was created), and the
    thresholds of the account owner's book from the seeds. Only what the status needs is computed.
    """
    settings = {
        "completed_task_statuses": ["completed"], "canceled_event_statuses": ["canceled", "cancelled"],
        "no_show_event_statuses": ["no show", "noshow", "no-show"], "default_rep_role": "AE",
        "default_segment": "Mid-Market", **(vars_ or {}),
    }
    read = {name: export_reader(export_file(export, name)) for name in
            ("task", "event", "account", "contact", "lead", "opportunity", "user", "user_role")}
    seeds = {name: f"read_csv('{seeds / (name + '.csv')}', header = true)"
             for name in ("activity_type_map", "rep_roles", "activity_thresholds")}
    due = "coalesce(try_cast(activity_date as date), try_cast(try_cast(activity_date as timestamp) as date))"
    channels = ("call", "email", "meeting", "linkedin", "sms", "other")
    qualifying = " ".join(f"when '{c}' then thresholds.includes_{c}" for c in channels)
    match_key = "nullif(regexp_replace(lower({}), '[^a-z0-9]', '', 'g'), '')"
    return f"""
with
tasks as ({_staged(read['task'],
    f"id, who_id, what_id, account_id, type, task_subtype, status, lower(trim(call_type)) as call_type, "
    f"coalesce({_bool('is_closed')}, false) as is_closed, {due} as due_date, "
    f"{_ts('completed_date_time')} as completed_at, {_ts('created_date')} as created_at",
    f"{_blank('id')} or {_unreadable('completed_date_time', _ts('completed_date_time'))}"
    f" or {_unreadable('activity_date', due)} or (completed_date_time is null and activity_date is null)")}),
events as ({_staged(read['event'],
    f"id, who_id, what_id, account_id, type, event_subtype, {_label('event_status_c')} as event_status, "
    f"{_ts('start_date_time')} as starts_at, {_ts('created_date')} as created_at",
    f"{_blank('id')} or {_blank('start_date_time')} or {_unreadable('start_date_time', _ts('start_date_time'))}")}),
accounts as ({_staged(read['account'], f"id, owner_id, {_ts('created_date')} as created_at", _blank('id'))}),
contacts as ({_staged(read['contact'], "id, account_id", _blank('id'))}),
leads as ({_staged(read['lead'], f"id, coalesce({_bool('is_converted')}, false) as is_converted, "
    "converted_account_id", f"{_blank('id')} or {_blank('created_date')} or "
    f"{_unreadable('created_date', _ts('created_date'))}")}),
opportunities as ({_staged(read['opportunity'], "id, account_id",
    f"{_blank('id')} or {_blank('created_date')} or {_unreadable('created_date', _ts('created_date'))}"
    f" or {_unreadable('close_date', due.replace('activity_date', 'close_date'))}")}),
users as ({_staged(read['user'], "id, user_role_id", _blank('id'), '_fivetran_deleted')}),
user_roles as ({_staged(read['user_role'], "id, trim(name) as role_name",
    f"{_blank('id')} or {_blank('name')}", '_fivetran_deleted')}),
as_of as (
    select coalesce(
        (select max(cast(created_at as date)) from (
            select created_at from tasks where not is_deleted
            union all select created_at from events where not is_deleted)),
        (select max(cast(coalesce(completed_at, cast(due_date as timestamp)) as date)) from tasks
         where not is_deleted and is_closed)) as as_of_date
),
period as (
    select cast(date_trunc('month', as_of_date) as date) as period_start,
        cast(date_trunc('month', as_of_date) + interval 1 month - interval 1 day as date) as period_end,
        as_of_date
    from as_of
),
activities as (
    select id, who_id, what_id, account_id, type, task_subtype as subtype, call_type,
        is_closed or coalesce({_label('status')} in {_sql_list(settings['completed_task_statuses'])}, false)
            as is_done,
        false as is_canceled, false as is_no_show,
        coalesce(cast(completed_at as date), due_date) as activity_date, is_deleted
    from tasks
    union all
    select id, who_id, what_id, account_id, type, event_subtype, null, true,
        coalesce(event_status in {_sql_list(settings['canceled_event_statuses'])}, false),
        coalesce(event_status in {_sql_list(settings['no_show_event_statuses'])}, false),
        cast(starts_at as date), is_deleted
    from events
),
type_map as (select * from {seeds['activity_type_map']} where source_system = 'salesforce'),
touches as (
    select
        coalesce(direct.id, what_account.id, contact_account.id, opportunity_account.id, lead_account.id)
            as account_id,
        contacts.id as contact_id,
        coalesce(by_type.activity_channel, by_subtype.activity_channel, by_none.activity_channel) as channel,
        activities.activity_date
    from activities
    cross join period
    left join type_map as by_type on {_label('activities.type')} = by_type.raw_type
    left join type_map as by_subtype on {_label('activities.subtype')} = by_subtype.raw_type
    left join type_map as by_none on by_none.raw_type = case
        when {_label('activities.type')} is null and {_label('activities.subtype')} is null then '(none)' end
    left join accounts as direct on activities.account_id = direct.id
    left join accounts as what_account on activities.what_id = what_account.id
    left join contacts on activities.who_id = contacts.id
    left join accounts as contact_account on contacts.account_id = contact_account.id
    left join opportunities on activities.what_id = opportunities.id
    left join accounts as opportunity_account on opportunities.account_id = opportunity_account.id
    left join leads on activities.who_id = leads.id
    left join accounts as lead_account
        on lead_account.id = case when leads.is_converted then leads.converted_account_id end
    where coalesce(by_type.counts_as_touch, by_subtype.counts_as_touch, by_none.counts_as_touch)
        and activities.is_done and not activities.is_canceled and not activities.is_no_show
        and not activities.is_deleted and activities.activity_date <= period.as_of_date
        and case
            when coalesce(by_type.activity_channel, by_subtype.activity_channel, by_none.activity_channel)
                = 'call' and activities.call_type in ('inbound', 'outbound', 'internal')
                then activities.call_type
            else coalesce(by_type.direction, by_subtype.direction, by_none.direction)
        end <> 'internal'
        and coalesce(direct.id, what_account.id, contact_account.id, opportunity_account.id, lead_account.id)
            is not null
),
books as (
    select accounts.id as account_id, cast(accounts.created_at as date) as created_date,
        thresholds.rep_role is not null as has_threshold,
        thresholds.min_qualifying_activities, thresholds.min_contacts_engaged,
        {", ".join(f"coalesce(thresholds.includes_{c}, false) as includes_{c}" for c in channels)}
    from accounts
    left join users on accounts.owner_id = users.id
    left join user_roles on users.user_role_id = user_roles.id
    left join {seeds['rep_roles']} as roles
        on {match_key.format('user_roles.role_name')} = {match_key.format('roles.role_name')}
    left join {seeds['activity_thresholds']} as thresholds
        on thresholds.period_type = 'month'
        and thresholds.rep_role = case when users.id is null then '{settings['default_rep_role']}'
            else coalesce(roles.rep_role, '{settings['default_rep_role']}') end
        and thresholds.segment = case when users.id is null then '{settings['default_segment']}'
            else coalesce(roles.segment, '{settings['default_segment']}') end
    where not accounts.is_deleted
),
judged as (
    select books.account_id,
        count(touches.account_id) as touches_ever,
        count(touches.account_id) filter (where touches.activity_date >= period.period_start) as touch_count,
        count(touches.account_id) filter (where touches.activity_date >= period.period_start
            and case touches.channel {qualifying.replace('thresholds.', 'books.')} else false end)
            as qualifying_activity_count,
        count(distinct touches.contact_id) filter (where touches.activity_date >= period.period_start
            and case touches.channel {qualifying.replace('thresholds.', 'books.')} else false end)
            as contacts_engaged,
        any_value(books.has_threshold) as has_threshold,
        any_value(books.min_qualifying_activities) as min_qualifying_activities,
        any_value(books.min_contacts_engaged) as min_contacts_engaged,
        any_value(books.created_date) as created_date,
        any_value(period.period_start) as period_start,
        any_value(period.period_end) as period_end
    from books
    cross join period
    left join touches on books.account_id = touches.account_id
    group by books.account_id
)
select account_id, period_start,
    case
        when touch_count = 0 then 'red'
        when has_threshold and qualifying_activity_count >= min_qualifying_activities
            and contacts_engaged >= min_contacts_engaged then 'green'
        else 'yellow'
    end as health_status
from judged
where created_date is null or created_date <= period_end or touches_ever > 0
"""


LOWER_BOUND_CHILD = """
import sys, time, duckdb
sql_file, out_file, settings = sys.argv[1], sys.argv[2], sys.argv[3:]
connection = duckdb.connect()
connection.execute("set TimeZone = 'UTC'")
for setting in settings:
    name, value = setting.split('=', 1)
    connection.execute(f"set {name} = '{value}'")
start = time.perf_counter()
connection.execute(f"copy ({open(sql_file).read()}) to '{out_file}' (format parquet)")
print(f"query seconds: {time.perf_counter() - start:.3f}")
"""


def compare_lower_bound(result_file: Path, database: Path) -> str:
    """Statuses of the lower bound against the mart's for the same (last) period."""
    import duckdb

    connection = duckdb.connect(str(database), read_only=True)
    row = connection.sql(f"""
        with mart as (
            select account_id, health_status from main.account_health
            where period_start = (select max(period_start) from main.account_health)
        ),
        bound as (select account_id, health_status from read_parquet('{result_file}'))
        select count(*) filter (where mart.health_status = bound.health_status),
            count(*) filter (where mart.account_id is null or bound.account_id is null
                or mart.health_status <> bound.health_status),
            count(*)
        from mart full join bound on mart.account_id = bound.account_id
    """).fetchone()
    connection.close()
    matching, differing, total = row
    verdict = "match" if differing == 0 else "DIFFER"
    return f"{verdict}: {matching:,} of {total:,} accounts equal, {differing:,} differ"


# ----------------------------------------------------------------------------- orchestration

class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.workdir: Path = args.workdir.resolve()
        self.project: Path = REPO
        self.log = (lambda message: None) if args.quiet else (lambda message: print(message, flush=True))
        self.provenance = ("the working tree, " + str(REPO), "")  # (project, command), set by main()

    def env(self, database: Path) -> dict[str, str]:
        env = {**os.environ, "DBT_PROFILES_DIR": str(self.project), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
               "SALES_ACTIVITY_TARGET": "duckdb", "SALES_ACTIVITY_DUCKDB_PATH": str(database)}
        for name, value in (("THREADS", self.args.duckdb_threads), ("MEMORY_LIMIT", self.args.memory_limit),
                            ("TEMP_DIR", self.args.temp_directory)):
            if value:
                env[f"SALES_ACTIVITY_DUCKDB_{name}"] = str(value)
        return env

    def duckdb_settings(self) -> list[str]:
        settings = []
        if self.args.duckdb_threads:
            settings.append(f"threads={self.args.duckdb_threads}")
        if self.args.memory_limit:
            settings.append(f"memory_limit={self.args.memory_limit}")
        if self.args.temp_directory:
            settings.append(f"temp_directory={self.args.temp_directory}")
        return settings

    def dbt(self, label: str, command: tuple[str, ...], database: Path, export: Path, log_name: str,
            fresh: bool) -> Measurement:
        """One dbt command. Every command of a size uses the same database path, target folder and
        vars: dbt's partial parsing is only reused when the rendered profile (which holds the path)
        and the vars are unchanged."""
        if fresh:
            remove_database(database)
        target = self.workdir / "target" / label
        results_file = target / "run_results.json"
        if results_file.exists():
            results_file.unlink()
        argv = [str(DBT), *command[:1], "--project-dir", str(self.project),
                "--vars", json.dumps({"salesforce_export_dir": str(export)}),
                "--target-path", str(target), "--log-path", str(self.workdir / "logs" / label), *command[1:]]
        measurement = run_measured(argv, self.env(database), self.workdir / "logs" / label / f"{log_name}.log",
                                   self.args.sample_interval)
        if results_file.exists():
            run_results = json.loads(results_file.read_text())
            measurement.inner_seconds = run_results.get("elapsed_time")
            self.last_node_times = sorted(
                ((node["unique_id"].split(".", 2)[-1], node.get("execution_time") or 0.0)
                 for node in run_results.get("results", [])), key=lambda item: -item[1])
        return measurement

    def snapshot_project(self) -> str:
        """Copy the dbt project (not the venv, targets or Python tests) so that edits others make to the
        working tree while the benchmark runs cannot change or break it. Returns a description."""
        destination = self.workdir / "project"
        shutil.rmtree(destination, ignore_errors=True)
        destination.mkdir(parents=True)
        for name in ("dbt_project.yml", "profiles.yml"):
            shutil.copy2(REPO / name, destination / name)
        ignore = shutil.ignore_patterns("python", "__pycache__", "fixtures")
        for folder in ("models", "macros", "seeds", "tests", "analyses"):
            if (REPO / folder).exists():
                shutil.copytree(REPO / folder, destination / folder, ignore=ignore)
        self.project = destination
        head = subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=REPO, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *DBT_PROJECT_PATHS], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        described = f"commit `{head.stdout.strip()}`" if head.returncode == 0 else "the working tree"
        if dirty:
            described += f", with uncommitted changes to {len(dirty.splitlines())} project file(s)"
        return described + f" (copied to {destination} when the benchmark started)"

    def generate(self, activities: int, export_format: str, folder: Path) -> tuple[Measurement | None, Path]:
        base = folder / "base"
        measured = folder / "generation.json"
        if export_matches(base, activities, export_format):
            self.log(f"  reusing export {base}")
            return (Measurement(**json.loads(measured.read_text())) if measured.exists() else None), base
        self.check_disk(activities, export_format, self.args.steps)
        csv_base = self.workdir / "exports" / f"{size_label(activities)}-csv" / "base"
        if export_format == "parquet" and export_matches(csv_base, activities, "csv"):
            # The generator writes Parquet by converting its CSV, so converting a stored CSV export
            # of the same size gives the same files, in minutes instead of the 44 of a 100M generation.
            self.log(f"  converting the CSV export {csv_base} to Parquet into {base} …")
            seconds = derive_parquet_export(csv_base, base)
            self.log(f"  converted in {format_seconds(seconds)} (the CSV's row reports the generation)")
            return None, base
        self.log(f"  generating {activities:,} activities ({export_format}) into {base} …")
        argv = [str(PYTHON), str(GENERATOR), "--activities", str(activities), "--out", str(base),
                "--format", export_format, "--no-gzip", "--quiet"]
        measurement = run_measured(argv, dict(os.environ), self.workdir / "logs" / f"generate-{activities}.log",
                                   self.args.sample_interval)
        self.log(f"  generated in {format_seconds(measurement.seconds)}, peak RSS {format_bytes(measurement.peak_rss)}")
        measured.write_text(json.dumps(asdict(measurement)))
        return measurement, base

    def check_disk(self, activities: int, export_format: str, steps: list[str]) -> None:
        need = estimate_disk_bytes(activities, export_format, steps)
        free = shutil.disk_usage(self.workdir).free
        self.log(f"  disk: about {format_bytes(need)} needed (exports, databases), {format_bytes(free)} free")
        if need > free:
            raise SystemExit(f"error: {size_label(activities)} activities need about {format_bytes(need)} in "
                             f"{self.workdir}, only {format_bytes(free)} free; use another --workdir")

    def run_size(self, activities: int, export_format: str) -> SizeResult:
        label = f"{size_label(activities)}-{export_format}"
        # Steps not asked for this time keep the figures an earlier run stored for this size.
        stored = self.workdir / "results" / f"{label}.json"
        result = result_from_json(stored.read_text()) if stored.exists() else SizeResult(activities, export_format)
        for step in self.args.steps:
            result.runs.pop(step, None)
        folder = self.workdir / "exports" / label
        folder.mkdir(parents=True, exist_ok=True)
        self.log(f"== {size_label(activities)} activities, {export_format}")
        generation, base = self.generate(activities, export_format, folder)
        result.generation = generation or result.generation
        result.runs_requested = self.args.runs
        result.project, result.command = self.provenance
        result.export_bytes = folder_bytes(base)
        daily = folder / "daily"
        current = folder / "current"
        steps = self.args.steps
        if "incremental" in steps:
            self.log("  appending one day of tasks and events …")
            result.base_rows, result.appended_rows = append_one_day(base, daily)
            self.log(f"  appended {result.appended_rows:,} rows to {result.base_rows:,}")
        point_current(current, base)
        databases = self.workdir / "db" / label
        databases.mkdir(parents=True, exist_ok=True)
        build = databases / "build.duckdb"
        for name, command in (("parse_cold", ("parse", "--no-partial-parse")), ("parse_warm", ("parse",))):
            result.parse[name] = self.dbt(label, command, build, current, name, fresh=True)
            self.log(f"  {PARSE_LABELS[name]:<44} {format_seconds(result.parse[name].seconds):>9}")
        sql_file = databases / "lower_bound.sql"
        sql_file.write_text(lower_bound_sql(current, seeds=self.project / "seeds"))
        for run in range(1, self.args.runs + 1):
            for step in steps:
                load = round(os.getloadavg()[0], 2)
                failure = None
                try:
                    measurement = self.run_step(step, label, databases, current, base, daily, sql_file, run)
                except StepFailed as error:
                    failure, measurement = error, error.measurement
                measurement.load_before = load
                result.runs.setdefault(step, []).append(measurement)
                if failure:
                    self.store(result)  # what it measured up to the failure is a result too
                    raise failure
                self.log(f"  run {run}/{self.args.runs} {STEP_LABELS[step]:<36} "
                         f"{format_seconds(measurement.seconds):>9}  {format_bytes(measurement.peak_rss):>10}")
                if step == "full_models":
                    result.slowest_models = self.last_node_times[:10]
                self.store(result)
            # The budget is checked between runs, so every step has at least one figure.
            if self.over_budget():
                self.log(f"  time budget of {self.args.budget_minutes} min reached: stopping after run {run}")
                break
        if (databases / "lower_bound.parquet").exists() and (databases / "account_health.duckdb").exists():
            result.lower_bound_check = compare_lower_bound(databases / "lower_bound.parquet",
                                                           databases / "account_health.duckdb")
            self.log(f"  lower bound vs account_health: {result.lower_bound_check}")
            self.store(result)
        return result

    def run_step(self, step: str, label: str, databases: Path, current: Path, base: Path, daily: Path,
                 sql_file: Path, run: int) -> Measurement:
        build = databases / "build.duckdb"
        if step == "lower_bound":
            log = self.workdir / "logs" / label / f"lower_bound-{run}.log"
            argv = [str(PYTHON), "-c", LOWER_BOUND_CHILD, str(sql_file), str(databases / "lower_bound.parquet"),
                    *self.duckdb_settings()]
            measurement = run_measured(argv, dict(os.environ), log, self.args.sample_interval)
            measurement.inner_seconds = float(log.read_text().split("query seconds:")[1].split()[0])
            return measurement
        if step == "incremental":
            full = databases / "full_models.duckdb"
            if not full.exists():
                self.log("  (no full build yet: building the state the daily run starts from)")
                point_current(current, base)
                self.dbt(label, DBT_COMMANDS["full_models"], build, current, "full_models-setup", fresh=True)
                move_database(build, full)
            remove_database(build)
            copy_database(full, build)
            point_current(current, daily)
            try:
                return self.dbt(label, DBT_COMMANDS[step], build, current, f"{step}-{run}", fresh=False)
            finally:
                point_current(current, base)
        if step in KEPT_DATABASES:
            remove_database(databases / f"{step}.duckdb")  # replaced below: never two of one on disk
        measurement = self.dbt(label, DBT_COMMANDS[step], build, current, f"{step}-{run}", fresh=True)
        if step in KEPT_DATABASES:
            # Moved, not copied: the next step starts from a new file anyway, and at 100M a copy would
            # cost a second 25 GB database and minutes of writing.
            move_database(build, databases / f"{step}.duckdb")
        return measurement

    def store(self, result: SizeResult) -> None:
        """Saved after every step, so an interrupted benchmark still reports what it measured."""
        stored = self.workdir / "results" / f"{size_label(result.activities)}-{result.export_format}.json"
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(result_to_json(result))

    def over_budget(self) -> bool:
        return bool(self.args.budget_minutes) and time.monotonic() - self.started > self.args.budget_minutes * 60

    def main(self) -> list[SizeResult]:
        self.started = time.monotonic()
        # Over budget, each later size and format still gets its first run (run_size checks the
        # budget only between runs): a combination asked for is never silently left out.
        return [self.run_size(activities, export_format)
                for activities in self.args.sizes for export_format in self.args.formats]


def export_matches(base: Path, activities: int, export_format: str) -> bool:
    """Whether `base` holds a finished export (the manifest is written last) of this size and format."""
    manifest = base / "generation_manifest.json"
    if not manifest.exists():
        return False
    arguments = json.loads(manifest.read_text()).get("arguments", {})
    return (arguments.get("activities") == activities and arguments.get("format") == export_format
            and not arguments.get("gzip"))


def derive_parquet_export(csv_base: Path, parquet_base: Path) -> float:
    """Write the Parquet export of a plain-CSV one, as the generator would have; returns seconds."""
    import duckdb

    sys.path.insert(0, str(GENERATOR.parent))
    from generate_demo_data import MANIFEST_NAME, csv_to_parquet

    started = time.monotonic()
    parquet_base.mkdir(parents=True, exist_ok=True)
    (parquet_base / MANIFEST_NAME).unlink(missing_ok=True)  # an interrupted conversion is redone
    with duckdb.connect() as connection:
        for csv_path in sorted(csv_base.glob("*.csv")):
            csv_to_parquet(connection, csv_path, parquet_base / f"{csv_path.stem}.parquet")
    manifest = json.loads((csv_base / MANIFEST_NAME).read_text())
    manifest["arguments"]["format"] = "parquet"
    for entry in manifest["objects"].values():
        entry["file"] = entry["file"].removesuffix(".csv") + ".parquet"
    (parquet_base / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
    return time.monotonic() - started


def copy_database(source: Path, destination: Path) -> None:
    remove_database(destination)
    shutil.copy2(source, destination)
    if Path(f"{source}.wal").exists():
        shutil.copy2(f"{source}.wal", f"{destination}.wal")


def move_database(source: Path, destination: Path) -> None:
    remove_database(destination)
    for suffix in ("", ".wal"):
        if Path(f"{source}{suffix}").exists():
            os.replace(f"{source}{suffix}", f"{destination}{suffix}")
    shutil.rmtree(f"{source}.tmp", ignore_errors=True)


def remove_database(database: Path) -> None:
    for path in (database, Path(f"{database}.wal")):
        if path.exists():
            path.unlink()
    shutil.rmtree(f"{database}.tmp", ignore_errors=True)


# Disk per activity, measured at 1M: the export (plain CSV 315 B, Parquet 65 B), its copy with one more
# day of tasks and events (265 B, made only for the daily run) and one built database (250 B). Room
# for DuckDB to spill: the 100M Parquet full build grew the disk by 60.3 GiB at its peak (database
# and spill together, 648 B per activity), so 400 B beside the database.
EXPORT_BYTES_PER_ACTIVITY = {"csv": 315, "parquet": 65}
DAILY_COPY_BYTES_PER_ACTIVITY = 265
DATABASE_BYTES_PER_ACTIVITY = 250
SPILL_BYTES_PER_ACTIVITY = 400


def databases_on_disk(steps: list[str]) -> int:
    """The most database files the steps hold at once. A step that keeps its database drops its
    previous one before building, so while the last kept one is built the others lie beside it; the
    daily run adds a copy of the full build."""
    kept = sum(step in steps for step in KEPT_DATABASES)
    return max(kept, 1) + ("incremental" in steps)


def estimate_disk_bytes(activities: int, export_format: str, steps: list[str]) -> int:
    per_activity = (EXPORT_BYTES_PER_ACTIVITY[export_format] + DATABASE_BYTES_PER_ACTIVITY * databases_on_disk(steps)
                    + SPILL_BYTES_PER_ACTIVITY)
    if "incremental" in steps:
        per_activity += DAILY_COPY_BYTES_PER_ACTIVITY
    return activities * per_activity


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] + " Measures full, incremental and one-mart dbt builds and the "
        "one-pass lower bound on generated exports; writes a Markdown report.",
        epilog="Example: .venv/bin/python scripts/benchmark.py --sizes 1M,10M --runs 3 --workdir /tmp/bench "
               "(100M needs about 175 GB free in the workdir with CSV exports and every step, about 100 GB for the full build alone; the script checks before generating).",
    )
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("1M"),
                        help="comma-separated activity counts, e.g. 1M,10M,100M (default: 1M)")
    parser.add_argument("--formats", type=lambda text: [f for f in text.split(",") if f], default=["csv"],
                        help="export formats to measure, csv and/or parquet (default: csv; plain, not gzip)")
    parser.add_argument("--runs", type=int, default=3, help="runs per step; the median is reported (default: 3)")
    parser.add_argument("--steps", type=parse_steps, default=list(STEPS),
                        help=f"comma-separated steps (default: all: {','.join(STEPS)})")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/sales_activity_bench"),
                        help="folder for exports, databases, dbt targets and logs (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md",
                        help="Markdown report to write (default: docs/benchmarks.md)")
    parser.add_argument("--duckdb-threads", help="DuckDB threads (env SALES_ACTIVITY_DUCKDB_THREADS)")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 16GB (env SALES_ACTIVITY_DUCKDB_MEMORY_LIMIT)")
    parser.add_argument("--temp-directory", help="DuckDB spill folder (env SALES_ACTIVITY_DUCKDB_TEMP_DIR)")
    parser.add_argument("--budget-minutes", type=float, default=0,
                        help="after this many minutes, start no second or later run (each size and format still "
                             "gets its first; 0: no limit); the report says which figures had fewer runs")
    parser.add_argument("--sample-interval", type=float, default=0.2,
                        help="seconds between memory samples of a process tree (default: 0.2)")
    parser.add_argument("--snapshot", action=argparse.BooleanOptionalAction, default=True,
                        help="run dbt on a copy of the project taken at start, so edits to the working tree "
                             "during a long benchmark do not change what is measured (default: on)")
    parser.add_argument("--project-dir", type=Path,
                        help="measure this dbt project folder instead of the repository's (e.g. a copy with a "
                             "change to try); its profiles.yml is used")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: write the report from the figures already stored in --workdir")
    parser.add_argument("--quiet", action="store_true", help="print only the table")
    return parser


def validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    bad = [f for f in args.formats if f not in ("csv", "parquet")]
    if bad:
        parser.error(f"--formats: unknown format(s) {', '.join(bad)}; use csv and/or parquet")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    validate(args, parser)
    args.workdir.mkdir(parents=True, exist_ok=True)
    bench = Bench(args)
    # What was measured and how is kept beside the figures, so --report-only can describe them.
    about = args.workdir / "about.json"
    failed = False
    if not args.report_only:
        if args.project_dir:
            bench.project = args.project_dir.resolve()
            project = f"the dbt project in {bench.project}"
        else:
            project = bench.snapshot_project() if args.snapshot else "the working tree, " + str(REPO)
        command = " ".join([".venv/bin/python", "scripts/benchmark.py", *(argv if argv is not None else sys.argv[1:])])
        about.write_text(json.dumps({"project": project, "command": command,
                                     "duckdb_settings": ", ".join(bench.duckdb_settings())}))
        bench.provenance = (project, command)
        try:
            bench.main()
        except StepFailed as error:
            # The report still gets written: a failed step is shown with its figures and reason.
            print(f"error: {error}", file=sys.stderr)
            failed = True
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    described = json.loads(about.read_text()) if about.exists() else {"project": "?", "command": "?",
                                                                       "duckdb_settings": ""}
    # The report holds every size measured in this workdir, so sizes can be run one at a time.
    results = stored_results(args.workdir / "results")
    print(render_text_table(format_table(results, args.runs)))
    context = {"machine": machine_facts(), "versions": package_versions(), "command": described["command"],
               "sample_interval": args.sample_interval, "project": described["project"],
               "duckdb_settings": described["duckdb_settings"] or "the profile's defaults"}
    if args.output.exists():
        context["findings"] = kept_findings(args.output.read_text(encoding="utf-8"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render_markdown(results, args.runs, context), encoding="utf-8")
    print(f"wrote {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
