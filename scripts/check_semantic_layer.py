#!/usr/bin/env python3
"""Check the MetricFlow semantic layer against a built DuckDB file.

Runs `mf validate-configs` (the semantic models and metrics of `models/semantic/`, also checked
against the warehouse), then one example `mf query` per metric, and prints a line per metric with the
first rows of its result. Exits 1 naming the metrics that failed (an error or no rows).

Run it after `dbt build` (or `dbt parse` plus a built database). `mf` reads the semantic manifest
`<target path>/semantic_manifest.json` that dbt wrote and connects through the project's dbt profile.
MetricFlow only looks for the manifest in `<project dir>/target/`; for another target path this
script points MetricFlow at a temporary copy of the project made of links whose `target` is that path.

    .venv/bin/python scripts/check_semantic_layer.py
    .venv/bin/python scripts/check_semantic_layer.py --database /tmp/x.duckdb --target-path /tmp/x/target
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Metrics of snapshot marts (one row per open deal at the as-of date): their example query is the
# current total, not a series by close date.
SNAPSHOT_METRICS = {"open_deals", "stalled_deals"}
INSTALL_HINT = ("install MetricFlow in this environment: "
                "pip install 'dbt-metricflow[dbt-duckdb]==0.15.0' -c constraints.txt")


class CheckError(Exception):
    """A problem the user can fix; the message says how."""


@dataclass
class Settings:
    project_dir: Path
    target_path: Path
    profiles_dir: Path
    database: Path
    log_path: Path
    grain: str
    rows: int
    metrics: list[str]
    csv_dir: Path | None
    skip_validate: bool


@dataclass
class MetricResult:
    metric: str
    command: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.rows)


def parse_args(argv: list[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(
        description="Validate the MetricFlow semantic layer and run one example query per metric "
                    "against a built DuckDB file. Exits 1 naming the metrics that failed.")
    parser.add_argument("--project-dir", type=Path, default=REPO,
                        help="dbt project folder (default: this repository)")
    parser.add_argument("--target-path", type=Path, default=None,
                        help="dbt target folder holding semantic_manifest.json (default: "
                             "$DBT_TARGET_PATH or <project>/target)")
    parser.add_argument("--profiles-dir", type=Path, default=None,
                        help="folder of profiles.yml (default: $DBT_PROFILES_DIR or the project folder)")
    parser.add_argument("--database", type=Path, default=None,
                        help="built DuckDB file (default: $SALES_ACTIVITY_DUCKDB_PATH or "
                             "<project>/target/sales_activity.duckdb)")
    parser.add_argument("--log-path", type=Path, default=None,
                        help="folder for dbt's and MetricFlow's logs (default: $DBT_LOG_PATH or <project>/logs)")
    parser.add_argument("--grain", default="month", choices=["day", "week", "month", "quarter", "year"],
                        help="metric_time grain of the example queries; use the report period "
                             "(var report_period) of the build (default: month)")
    parser.add_argument("--rows", type=int, default=3, help="result rows printed per metric (default: 3)")
    parser.add_argument("--metrics", default="",
                        help="comma-separated metrics to query (default: every metric of the manifest)")
    parser.add_argument("--csv-dir", type=Path, default=None,
                        help="keep each metric's full result as <metric>.csv in this folder, and "
                             "summary.json beside them")
    parser.add_argument("--skip-validate", action="store_true", help="skip `mf validate-configs`")
    args = parser.parse_args(argv)

    project_dir = args.project_dir.resolve()

    def from_env(value: Path | None, variable: str, default: Path) -> Path:
        chosen = value or (Path(os.environ[variable]) if os.environ.get(variable) else default)
        return chosen if chosen.is_absolute() else (project_dir / chosen).resolve()

    return Settings(
        project_dir=project_dir,
        target_path=from_env(args.target_path, "DBT_TARGET_PATH", project_dir / "target"),
        profiles_dir=from_env(args.profiles_dir, "DBT_PROFILES_DIR", project_dir),
        database=from_env(args.database, "SALES_ACTIVITY_DUCKDB_PATH",
                          project_dir / "target" / "sales_activity.duckdb"),
        log_path=from_env(args.log_path, "DBT_LOG_PATH", project_dir / "logs"),
        grain=args.grain,
        rows=max(args.rows, 0),
        metrics=[name.strip() for name in args.metrics.split(",") if name.strip()],
        csv_dir=args.csv_dir.resolve() if args.csv_dir else None,
        skip_validate=args.skip_validate,
    )


def check_inputs(settings: Settings) -> dict:
    """Refuse early, with what to do, when the project, manifest or database is missing."""
    if not (settings.project_dir / "dbt_project.yml").exists():
        raise CheckError(f"{settings.project_dir} is not a dbt project (no dbt_project.yml); "
                         "pass --project-dir")
    manifest_path = settings.target_path / "semantic_manifest.json"
    if not manifest_path.exists():
        raise CheckError(f"{manifest_path} not found: run `dbt parse` or `dbt build` with "
                         f"--target-path {settings.target_path} first")
    if not settings.database.exists():
        raise CheckError(f"DuckDB file {settings.database} not found: run `dbt build` with "
                         "SALES_ACTIVITY_DUCKDB_PATH set to it first, or pass --database")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if not manifest.get("metrics"):
        raise CheckError(f"{manifest_path} declares no metrics: is models/semantic/ in the project, "
                         "and was dbt run after it was added?")
    check_same_database(manifest, settings.database)
    return manifest


def check_same_database(manifest: dict, database: Path) -> None:
    """The manifest names tables by DuckDB catalog, which is the database file's name."""
    catalogs = {model["node_relation"].get("database") for model in manifest.get("semantic_models", [])}
    catalogs.discard(None)
    if catalogs and database.stem not in catalogs:
        raise CheckError(
            f"the semantic manifest names tables in database {', '.join(sorted(catalogs))!r} but the "
            f"DuckDB file is {database.name}: run `dbt parse` (or `dbt build`) with "
            f"SALES_ACTIVITY_DUCKDB_PATH={database} and this target path, then run this again")


def metric_names(manifest: dict, wanted: list[str]) -> list[str]:
    declared = sorted(metric["name"] for metric in manifest["metrics"])
    return wanted or declared


def mf_project_dir(settings: Settings, scratch: Path) -> Path:
    """The folder to run MetricFlow in: the project itself, or a linked copy whose target is ours.

    MetricFlow reads `<project dir>/target/semantic_manifest.json` whatever the target path.
    """
    if settings.target_path == settings.project_dir / "target":
        return settings.project_dir
    shadow = scratch / "project"
    shadow.mkdir()
    for entry in settings.project_dir.iterdir():
        if entry.name not in {"target", "logs"}:
            (shadow / entry.name).symlink_to(entry)
    (shadow / "target").symlink_to(settings.target_path, target_is_directory=True)
    return shadow


def mf_environment(settings: Settings, project: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROJECT_DIR": str(project),
        "DBT_PROFILES_DIR": str(settings.profiles_dir),
        "DBT_LOG_PATH": str(settings.log_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "SALES_ACTIVITY_DUCKDB_PATH": str(settings.database),
    }


def find_mf() -> str:
    beside_python = Path(sys.executable).with_name("mf")
    found = str(beside_python) if beside_python.exists() else shutil.which("mf")
    if not found:
        raise CheckError(f"`mf` not found: {INSTALL_HINT}")
    return found


def validate_configs(project: Path, environment: dict[str, str]) -> None:
    print("==> mf validate-configs (semantic models, metrics, and each against the warehouse)",
          flush=True)
    started = time.perf_counter()
    completed = subprocess.run([find_mf(), "validate-configs"], cwd=project, env=environment,
                               capture_output=True, text=True, check=False)
    output = completed.stdout + completed.stderr
    if completed.returncode != 0 or "ERRORS: 0" not in output or "ERROR:" in output:
        raise CheckError("mf validate-configs failed; its report:\n" + strip_spinner(output)
                         + "\nFix the YAML in models/semantic/, run `dbt parse`, and run this again.")
    print(f"    valid ({time.perf_counter() - started:.1f} s)", flush=True)


def strip_spinner(output: str) -> str:
    """MetricFlow's spinner writes progress frames; keep the final state of each line."""
    return "\n".join(line.split("\r")[-1] for line in output.splitlines())


def mf_error(output: str) -> str:
    """MetricFlow's error report, without its log-file and bug-report footer."""
    report = strip_spinner(output)
    return report.split("\nLog File", 1)[0].strip()


def query_arguments(metric: str, grain: str, csv_path: Path) -> list[str]:
    arguments = ["query", "--metrics", metric, "--csv", str(csv_path), "--quiet"]
    if metric not in SNAPSHOT_METRICS:
        arguments += ["--group-by", f"metric_time__{grain}", "--order", f"-metric_time__{grain}"]
    return arguments


def load_metricflow_cli():  # noqa: ANN201 - MetricFlow's click group and its configuration class
    try:
        from dbt_metricflow.cli.cli_configuration import CLIConfiguration
        from dbt_metricflow.cli.main import cli
    except ImportError as error:
        raise CheckError(f"MetricFlow is not importable ({error}): {INSTALL_HINT}") from None
    return cli, CLIConfiguration


def run_queries(names: list[str], settings: Settings, project: Path, environment: dict[str, str],
                results_dir: Path) -> list[MetricResult]:
    """Run `mf query` once per metric, in this process, so dbt and MetricFlow load only once."""
    cli, configuration_class = load_metricflow_cli()
    os.environ.update(environment)
    os.chdir(project)
    configuration = configuration_class()
    print(f"==> mf query: {len(names)} metrics at metric_time__{settings.grain}", flush=True)
    results = []
    for name in names:
        csv_path = results_dir / f"{name}.csv"
        arguments = query_arguments(name, settings.grain, csv_path)
        result = MetricResult(metric=name, command="mf " + " ".join(
            argument for argument in arguments if argument not in {"--csv", str(csv_path), "--quiet"}))
        captured = io.StringIO()
        try:
            with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
                cli.main(args=arguments, prog_name="mf", obj=configuration, standalone_mode=False)
        except SystemExit as stop:
            if stop.code not in (0, None):
                result.error = mf_error(captured.getvalue()) or f"mf exited with {stop.code}"
        except Exception as error:  # noqa: BLE001 - any MetricFlow failure is reported per metric
            result.error = f"{type(error).__name__}: {error}"
        if not result.error:
            result.columns, result.rows = read_csv(csv_path)
            if not result.rows:
                result.error = "the query returned no rows"
        print_result(result, settings.rows)
        results.append(result)
    return results


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.exists():
        return [], []
    with path.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    return (table[0], table[1:]) if table else ([], [])


def print_result(result: MetricResult, rows: int) -> None:
    if not result.ok:
        print(f"FAIL {result.metric}: {result.error}\n     ({result.command})", flush=True)
        return
    shown = " | ".join(format_row(result.columns, row) for row in result.rows[:rows])
    more = f"  ({len(result.rows)} rows)" if len(result.rows) > rows else ""
    print(f"ok   {result.metric}: {shown}{more}", flush=True)


def format_row(columns: list[str], row: list[str]) -> str:
    """`2026-10-01: 233` for a series row, `177` for a total."""
    values = dict(zip(columns, row))
    time_value = next((value for column, value in values.items() if column.startswith("metric_time")), None)
    measures = ", ".join(value for column, value in values.items() if not column.startswith("metric_time"))
    if time_value is None:
        return measures
    return f"{time_value.removesuffix(' 00:00:00')}: {measures}"


def write_summary(results: list[MetricResult], directory: Path) -> None:
    summary = [{"metric": r.metric, "ok": r.ok, "rows": len(r.rows), "command": r.command,
                "error": r.error} for r in results]
    (directory / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    settings = parse_args(argv)
    try:
        manifest = check_inputs(settings)
        names = metric_names(manifest, settings.metrics)
        with tempfile.TemporaryDirectory(prefix="semantic_layer_") as scratch_name:
            scratch = Path(scratch_name)
            project = mf_project_dir(settings, scratch)
            environment = mf_environment(settings, project)
            if not settings.skip_validate:
                validate_configs(project, environment)
            results_dir = settings.csv_dir or scratch / "results"
            results_dir.mkdir(parents=True, exist_ok=True)
            results = run_queries(names, settings, project, environment, results_dir)
            write_summary(results, results_dir)
    except CheckError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    failed = [result.metric for result in results if not result.ok]
    if failed:
        print(f"error: {len(failed)} of {len(results)} metrics failed: {', '.join(failed)}",
              file=sys.stderr)
        return 1
    print(f"==> all {len(results)} metrics returned rows", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
