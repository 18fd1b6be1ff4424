#!/usr/bin/env python3
"""Build the project on PostgreSQL and on Spark and compare every public mart with the DuckDB build.

For each engine asked for, in order:
  1. start it: a throw-away PostgreSQL server (scripts/engines.py; Debian's packages, installed when
     missing) or, for Spark, nothing to start — dbt-spark runs a local session in its own process;
  2. load the export into the engine's raw schemas (scripts/load_export.py; the CRM that is off is
     loaded empty, as the DuckDB landing does);
  3. `dbt build` on the engine: every seed, model, data test and unit test;
  4. copy the engine's marts into a DuckDB file (<workdir>/<engine>/marts.duckdb) and compare each
     with the same mart of the DuckDB reference, row for row: same columns, same row count, and
     every row matched to one row of the other side on all its non-floating-point columns, its
     floating-point columns equal within --tolerance (relative, at least absolute for |x| < 1).
  5. stop what it started, by pid, whatever happened (also on Ctrl-C or SIGTERM).

The reference is the published DuckDB file of `make build` (target/published/sales_activity.duckdb):
its `_publication` table lists the public marts, so every published mart is compared.

Output: progress on stderr, a table of timings and results on stdout, <workdir>/parity.json; exit 1
when any mart differs or any step fails (the failing step's log is named).

Examples:
    python scripts/engine_parity.py                       # both engines (make test-engines)
    python scripts/engine_parity.py --engines postgres
    python scripts/engine_parity.py --engines spark --keep  # keep <workdir>/spark to inspect
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import engines  # noqa: E402  (the sibling script: PostgreSQL start and stop)

ENGINES = ("postgres", "spark")
DEFAULT_REFERENCE = REPO / "target" / "published" / "sales_activity.duckdb"
DEFAULT_WORKDIR = REPO / "target" / "engines"
DEFAULT_EXPORT = REPO / "data" / "demo" / "salesforce"
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
SPARK_PYTHON = engines.SPARK_VENV / "bin" / "python"


class ParityError(Exception):
    """A step failed; the message names it and where its log is."""


def progress(message: str) -> None:
    print(f"[engine_parity] {message}", file=sys.stderr, flush=True)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@dataclass
class EngineRun:
    engine: str
    seconds: dict[str, float] = field(default_factory=dict)
    marts: dict[str, str] = field(default_factory=dict)  # mart -> "ok" or what differs
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and bool(self.marts) and all(result == "ok" for result in self.marts.values())


# ------------------------------------------------------------------------------------------ steps

def run_step(run: EngineRun, step: str, argv: list[str], env: dict[str, str], log: Path) -> None:
    """Run one command in its own process group (so all of it can be stopped), timed, logged."""
    progress(f"{run.engine}: {step} (log: {log})")
    started_at = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            returncode = process.wait()
        finally:
            if process.poll() is None:  # interrupted: stop the step and whatever it started (a JVM)
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    run.seconds[step] = time.monotonic() - started_at
    if returncode != 0:
        tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-25:])
        raise ParityError(f"{run.engine}: {step} failed (exit {returncode}); log {log}:\n{tail}")
    progress(f"{run.engine}: {step} done in {run.seconds[step]:.1f} s")


def dbt_env(engine: str, folder: Path, port: int | None) -> dict[str, str]:
    env = {**os.environ, "DBT_PROFILES_DIR": str(REPO), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "SALES_ACTIVITY_SPARK_DIR": str(folder / "spark")}
    if port is not None:
        env["SALES_ACTIVITY_PG_PORT"] = str(port)
    return env


def load_and_build(run: EngineRun, folder: Path, export_dir: Path, env: dict[str, str]) -> None:
    python = sys.executable if run.engine == "postgres" else str(SPARK_PYTHON)
    dbt = str(Path(sys.executable).parent / "dbt") if run.engine == "postgres" else str(engines.SPARK_VENV / "bin" / "dbt")
    loader = str(REPO / "scripts" / "load_export.py")
    run_step(run, "load", [python, loader, str(export_dir), "--engine", run.engine], env, folder / "load.log")
    run_step(run, "load (HubSpot off)", [python, loader, "--source", "hubspot", "--empty", "--engine", run.engine],
             env, folder / "load_hubspot.log")
    run_step(run, "dbt build", [dbt, "build", "--target", run.engine, "--target-path", str(folder / "dbt_target"),
                                "--log-path", str(folder / "dbt_logs")], env, folder / "dbt_build.log")


# --------------------------------------------------------------------------------- reading marts

def public_marts(reference: Path) -> list[str]:
    with duckdb.connect(str(reference), read_only=True) as connection:
        return [row[0] for row in connection.execute("select mart from _publication order by mart").fetchall()]


def copy_postgres_marts(marts: list[str], schema: str, port: int, out: Path) -> None:
    """Each mart through COPY … TO STDOUT as CSV into a DuckDB table of text columns."""
    import psycopg2  # only the main venv has it (requirements-postgres.txt)

    csv_dir = out.parent / "csv"
    csv_dir.mkdir(exist_ok=True)
    connection = psycopg2.connect(host=os.environ.get("SALES_ACTIVITY_PG_HOST", "127.0.0.1"), port=port,
                                  user=os.environ.get("SALES_ACTIVITY_PG_USER", "postgres"),
                                  password=os.environ.get("SALES_ACTIVITY_PG_PASSWORD", ""),
                                  dbname=os.environ.get("SALES_ACTIVITY_PG_DBNAME", "postgres"))
    try:
        cursor = connection.cursor()
        with duckdb.connect(str(out)) as target:
            for mart in marts:
                csv_file = csv_dir / f"{mart}.csv"
                with csv_file.open("w") as handle:
                    cursor.copy_expert(f"copy (select * from {quote(schema)}.{quote(mart)}) to stdout "
                                       "with (format csv, header true)", handle)
                # PostgreSQL writes NULL unquoted and an empty text as "": keep the two apart.
                target.execute(f"create or replace table {quote(mart)} as select * from read_csv(?, "
                               "header = true, all_varchar = true, allow_quoted_nulls = false)", [str(csv_file)])
    finally:
        connection.close()


def dump_spark_marts(marts: list[str], schema: str, out_dir: Path) -> None:
    """Run in .venv-spark: each mart written as Parquet by the Spark session (same warehouse as dbt)."""
    from load_export import spark_session

    spark = spark_session()
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    try:
        for mart in marts:
            spark.table(f"`{schema}`.`{mart}`").coalesce(1).write.mode("overwrite").parquet(str(out_dir / mart))
    finally:
        spark.stop()


def copy_spark_marts(run: EngineRun, marts: list[str], schema: str, folder: Path, env: dict[str, str],
                     out: Path) -> None:
    parquet_dir = folder / "parquet"
    run_step(run, "read marts", [str(SPARK_PYTHON), str(Path(__file__).resolve()), "dump-spark", "--marts",
                                 ",".join(marts), "--schema", schema, "--out", str(parquet_dir)],
             env, folder / "read_marts.log")
    with duckdb.connect(str(out)) as target:
        for mart in marts:
            target.execute(f"create or replace table {quote(mart)} as select * from read_parquet(?)",
                           [str(parquet_dir / mart / "*.parquet")])


# ------------------------------------------------------------------------------------- comparing

def compare_mart(connection: duckdb.DuckDBPyConnection, mart: str, tolerance: float) -> str:
    """'ok', or what differs. `ref` and `eng` are attached databases holding the mart."""
    reference_columns = connection.execute(
        "select column_name, data_type from duckdb_columns() where database_name = 'ref' and table_name = ? "
        "order by column_index", [mart]).fetchall()
    engine_columns = {name.lower() for (name,) in connection.execute(
        "select column_name from duckdb_columns() where database_name = 'eng' and table_name = ?", [mart]).fetchall()}
    names = {name for name, _ in reference_columns}
    if not engine_columns:
        return "missing on the engine"
    if engine_columns != names:
        return (f"columns differ: only on DuckDB {sorted(names - engine_columns)}, "
                f"only on the engine {sorted(engine_columns - names)}")
    floats = [name for name, data_type in reference_columns if data_type.upper() in FLOAT_TYPES]
    keys = [name for name, _ in reference_columns if name not in floats]
    # The engine's values in DuckDB's types (text from PostgreSQL's CSV, Spark's own types).
    typed = ", ".join(f"cast({quote(name)} as {data_type}) as {quote(name)}" for name, data_type in reference_columns)
    numbered = ("row_number() over (partition by " + (", ".join(map(quote, keys)) or "1")
                + " order by " + (", ".join(map(quote, floats)) or "1") + ") as _row")
    match = " and ".join([f"r.{quote(name)} is not distinct from e.{quote(name)}" for name in keys] + ["r._row = e._row"])
    close = " and ".join(
        f"(r.{quote(name)} is null and e.{quote(name)} is null or coalesce(abs(r.{quote(name)} - e.{quote(name)}) "
        f"<= {tolerance!r} * greatest(1, abs(r.{quote(name)})), false))" for name in floats) or "true"
    only_reference, only_engine, not_close, rows, engine_rows = connection.execute(f"""
        with r as (select *, {numbered} from ref.{quote(mart)}),
        e as (select *, {numbered} from (select {typed} from eng.{quote(mart)})),
        matched as (select r._row as r_row, e._row as e_row, {close} as is_close
                    from r full outer join e on {match})
        select
            count(*) filter (where e_row is null),
            count(*) filter (where r_row is null),
            count(*) filter (where r_row is not null and e_row is not null and not is_close),
            (select count(*) from r),
            (select count(*) from e)
        from matched
    """).fetchone()
    if only_reference or only_engine or not_close:
        return (f"{rows} rows on DuckDB, {engine_rows} on the engine: {only_reference} only on DuckDB, "
                f"{only_engine} only on the engine, {not_close} with floating-point values beyond the tolerance")
    return "ok"


def compare_marts(run: EngineRun, reference: Path, engine_db: Path, marts: list[str], tolerance: float) -> None:
    started_at = time.monotonic()
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")  # Spark's instants become DuckDB's UTC timestamps
        connection.execute(f"attach '{reference}' as ref (read_only)")
        connection.execute(f"attach '{engine_db}' as eng (read_only)")
        for mart in marts:
            run.marts[mart] = compare_mart(connection, mart, tolerance)
            progress(f"{run.engine}: {mart}: {run.marts[mart]}")
    run.seconds["compare"] = time.monotonic() - started_at


# ----------------------------------------------------------------------------------------- engines

def run_engine(engine: str, args: argparse.Namespace, marts: list[str]) -> EngineRun:
    run = EngineRun(engine)
    folder = args.workdir / engine
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    engine_db = folder / "marts.duckdb"
    postgres_dir = folder / "postgres"
    try:
        if engine == "postgres":
            started_at = time.monotonic()
            state = engines.start_postgres(postgres_dir, install=True)
            run.seconds["start"] = time.monotonic() - started_at
            env = dbt_env(engine, folder, state["port"])
            load_and_build(run, folder, args.export_dir, env)
            copy_postgres_marts(marts, args.schema, state["port"], engine_db)
        else:
            if not SPARK_PYTHON.exists():
                raise ParityError(f"{SPARK_PYTHON} is missing: create the Spark venv with `make engines-venv`.")
            env = dbt_env(engine, folder, None)
            load_and_build(run, folder, args.export_dir, env)
            copy_spark_marts(run, marts, args.schema, folder, env, engine_db)
        compare_marts(run, args.reference, engine_db, marts, args.tolerance)
    except (ParityError, engines.EngineError, duckdb.Error) as error:
        run.error = str(error)
        progress(f"{engine}: FAILED: {error}")
    finally:
        if engine == "postgres":
            engines.stop_postgres(postgres_dir, keep_data=False)
    if not args.keep and run.passed:
        shutil.rmtree(folder / "spark", ignore_errors=True)
    return run


def report(runs: list[EngineRun], marts: list[str]) -> str:
    steps = ["start", "load", "load (HubSpot off)", "dbt build", "read marts", "compare"]
    lines = ["| engine | " + " | ".join(steps) + " | marts identical |", "|---" * (len(steps) + 2) + "|"]
    for run in runs:
        times = [f"{run.seconds[step]:.1f} s" if step in run.seconds else "–" for step in steps]
        same = sum(result == "ok" for result in run.marts.values())
        lines.append(f"| {run.engine} | " + " | ".join(times) + f" | {same} of {len(marts)} |")
    for run in runs:
        for mart, result in run.marts.items():
            if result != "ok":
                lines.append(f"- {run.engine} {mart}: {result}")
        if run.error:
            lines.append(f"- {run.engine}: {run.error.splitlines()[0]}")
    return "\n".join(lines)


def stop_on_sigterm(signum, frame):  # noqa: ARG001 — so `finally` blocks stop the servers
    raise SystemExit(f"stopped by signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    dump = commands.add_parser("dump-spark", help="(internal, run by .venv-spark) write marts as Parquet")
    dump.add_argument("--marts", required=True)
    dump.add_argument("--schema", required=True)
    dump.add_argument("--out", type=Path, required=True)
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help="comma-separated engines to check (default: postgres,spark)")
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                        help="published DuckDB file of the reference build (default: that of `make build`)")
    parser.add_argument("--export-dir", type=Path, default=DEFAULT_EXPORT,
                        help="Salesforce export the reference was built from (default: the demo)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="scratch folder (default target/engines)")
    parser.add_argument("--schema", default=os.environ.get("SALES_ACTIVITY_PG_SCHEMA", "sales_activity"),
                        help="target schema the marts are built in (default sales_activity)")
    parser.add_argument("--tolerance", type=float, default=1e-9,
                        help="relative tolerance of floating-point columns (default 1e-9)")
    parser.add_argument("--keep", action="store_true", help="keep the Spark warehouse after a passing run")
    args = parser.parse_args(argv)
    if args.command == "dump-spark":
        dump_spark_marts(args.marts.split(","), args.schema, args.out)
        return 0
    chosen = [engine.strip() for engine in args.engines.split(",") if engine.strip()]
    unknown = sorted(set(chosen) - set(ENGINES))
    if unknown or not chosen:
        parser.error(f"--engines takes a comma-separated list of {', '.join(ENGINES)}; got {args.engines!r}")
    if not math.isfinite(args.tolerance) or args.tolerance < 0:
        parser.error("--tolerance must be a non-negative number")
    if not args.reference.exists():
        print(f"error: the DuckDB reference {args.reference} does not exist: run `make build` first "
              "(or give --reference).", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    marts = public_marts(args.reference)
    progress(f"{len(marts)} public marts to compare: {', '.join(marts)}")
    runs = [run_engine(engine, args, marts) for engine in chosen]
    table = report(runs, marts)
    print(table)
    (args.workdir / "parity.json").write_text(json.dumps(
        [{"engine": run.engine, "seconds": run.seconds, "marts": run.marts, "error": run.error} for run in runs],
        indent=2))
    return 0 if all(run.passed for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
