#!/usr/bin/env python3
"""Load a CRM export folder into the raw schema of a PostgreSQL database or a Spark warehouse.

On DuckDB the build reads export folders itself (macros/landing/land_exports.sql). Other engines read
tables loaded into the source's raw schema beforehand, which this script does with the same rules, so
the three engines start from the same raw rows:

- one file per object named after it: `<object>.csv`, `.csv.gz` or `.parquet`; the objects and their
  columns are the source contract (models/staging/<source>/_<source>__sources.yml);
- a header matches a contract column when both are equal ignoring case and non-alphanumerics
  (`owner_id`, `OwnerId`, `OWNERID`); extra columns are ignored, missing optional columns load as NULL;
- every column is text, plus `_source_file` and `_source_row_number` (the row's place in the file);
- the same fatal problems stop the load with the same messages, before anything is written: a missing
  or empty folder, a missing required object or column, an empty file, two files for one object,
  two headers for one column. An absent optional object loads as an empty table, with a warning.

The files are read and normalised with DuckDB, then written: to PostgreSQL with COPY, in one
transaction (a failed load leaves the previous one whole); to Spark with saveAsTable, in a session
configured like the profile's `spark` target (run it with .venv-spark/bin/python).

Connection settings are the profile's environment variables: SALES_ACTIVITY_PG_HOST, _PORT, _USER,
_PASSWORD, _DBNAME; SALES_ACTIVITY_SPARK_DIR, SALES_ACTIVITY_SPARK_MASTER.

Examples:
    python scripts/load_export.py data/demo/salesforce --engine postgres
    python scripts/load_export.py path/to/hubspot_export --source hubspot --engine postgres
    python scripts/load_export.py --source hubspot --empty --engine postgres   # a CRM that is off
    .venv-spark/bin/python scripts/load_export.py data/demo/salesforce --engine spark
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[1]
EXTENSIONS = ("csv", "csv.gz", "parquet")


class LoadError(Exception):
    """A problem in the export or the settings; its message names it and says how to fix it."""


def progress(message: str) -> None:
    print(f"[load_export] {message}", file=sys.stderr, flush=True)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_text(value: object) -> str:
    return str(value).replace("'", "''")


def header_key(header: str) -> str:
    return re.sub("[^a-z0-9]", "", header.lower())


@dataclass
class Column:
    name: str
    required: bool
    header_var: str | None


@dataclass
class Table:
    name: str
    required_object: bool
    columns: list[Column]


@dataclass
class Landing:
    """One object as it will be loaded: its file (None: absent optional object) and the SELECT that
    shapes it to the contract."""
    table: Table
    file: str | None
    select: str


def meta_of(node: dict) -> dict:
    """dbt merges `meta` and `config.meta`; the contracts use the latter."""
    return {**(node.get("meta") or {}), **((node.get("config") or {}).get("meta") or {})}


def project_vars(overrides: dict) -> dict:
    with (REPO / "dbt_project.yml").open(encoding="utf-8") as handle:
        return {**(yaml.safe_load(handle).get("vars") or {}), **overrides}


def contract(source_name: str) -> list[Table]:
    """The tables and columns of the source `source_name`, from its sources YAML."""
    for path in sorted((REPO / "models" / "staging").glob("*/_*__sources.yml")):
        with path.open(encoding="utf-8") as handle:
            document = yaml.safe_load(handle) or {}
        for source in document.get("sources") or []:
            if source.get("name") == source_name:
                return [Table(table["name"], bool(meta_of(table).get("required_object", True)),
                              [Column(column["name"], bool(meta_of(column).get("required")),
                                      meta_of(column).get("header_var"))
                               for column in table.get("columns") or []])
                        for table in source.get("tables") or []]
    raise LoadError(f"no source named '{source_name}' in models/staging/*/_*__sources.yml")


def export_reader(file: str) -> str:
    # Everything is read as text: typing is staging's job (a bad value is quarantined there).
    if file.endswith(".parquet"):
        return f"read_parquet('{sql_text(file)}')"
    return f"read_csv('{sql_text(file)}', header = true, all_varchar = true)"


def find_export_file(source_name: str, folder: str, object_name: str) -> str | None:
    found = [path for extension in EXTENSIONS
             if os.path.isfile(path := f"{folder}/{object_name}.{extension}")]
    if len(found) > 1:
        raise LoadError(f"{source_name} export: object '{object_name}' has several files ({', '.join(found)}). "
                        "Keep exactly one file per object.")
    if not found:
        return None
    if os.path.getsize(found[0]) == 0:
        raise LoadError(f"{source_name} export: file '{found[0]}' is empty (0 bytes). Export it again: "
                        "a file needs at least its header row; delete it if the object is optional and absent.")
    return found[0]


def map_export_headers(connection: duckdb.DuckDBPyConnection, source_name: str, table: Table, file: str,
                       variables: dict) -> dict[str, str]:
    """Contract column -> file header."""
    try:
        headers = [row[0] for row in connection.sql(f"describe select * from {export_reader(file)}").fetchall()]
    except duckdb.Error as error:
        raise LoadError(f"{source_name} export: cannot read '{file}' (it must be a CSV with a header row, "
                        f"or Parquet): {error}") from None
    by_key: dict[str, list[str]] = {}
    for header in headers:
        by_key.setdefault(header_key(header), []).append(header)
    mapping, missing = {}, []
    for column in table.columns:
        wanted = str(variables[column.header_var]) if column.header_var else column.name
        candidates = by_key.get(header_key(wanted), [])
        if len(candidates) > 1:
            raise LoadError(f"{source_name} export: file '{file}' has several headers for column '{column.name}' "
                            f"({', '.join(candidates)}). Keep one of them.")
        if candidates:
            mapping[column.name] = candidates[0]
        elif column.required:
            missing.append(wanted)
    if missing:
        raise LoadError(f"{source_name} export: file '{file}' is missing required column(s) {', '.join(missing)}. "
                        "Headers may be snake_case or the CRM's API names (e.g. owner_id or OwnerId); add the "
                        f"column to the export. Columns found: {', '.join(headers)}")
    return mapping


def landing_select(table: Table, file: str | None, mapping: dict[str, str]) -> str:
    """The contract's columns in contract order, all text, plus the two lineage columns."""
    columns = [f"cast({quote(mapping[column.name])} as varchar) as {quote(column.name)}"
               if column.name in mapping else f"cast(null as varchar) as {quote(column.name)}"
               for column in table.columns]
    if file is None:
        columns += ["cast(null as varchar) as _source_file", "cast(null as bigint) as _source_row_number"]
        return f"select {', '.join(columns)} where 1 = 0"
    # File order: DuckDB preserves insertion order, so this numbers rows as they stand in the file.
    columns += [f"'{sql_text(file)}' as _source_file", "row_number() over () as _source_row_number"]
    return f"select {', '.join(columns)} from {export_reader(file)}"


def plan(connection: duckdb.DuckDBPyConnection, source_name: str, folder: str | None,
         variables: dict) -> list[Landing]:
    """Every object's landing, after every fatal check (nothing is written before they all pass)."""
    tables = sorted(contract(source_name), key=lambda table: table.name)
    if folder is None:
        return [Landing(table, None, landing_select(table, None, {})) for table in tables]
    folder = folder[:-1] if folder.endswith("/") else folder
    if not os.path.isdir(folder) or not os.listdir(folder):
        raise LoadError(f"{source_name} export: folder '{folder}' does not exist or holds no file. "
                        f"Pass the folder of the export, e.g. python scripts/load_export.py /path/to/export "
                        f"--source {source_name}")
    landings, absent = [], []
    for table in tables:
        file = find_export_file(source_name, folder, table.name)
        if file is None:
            if table.required_object:
                raise LoadError(f"{source_name} export: no file for required object '{table.name}' in '{folder}'. "
                                f"Add {table.name}.csv (or .csv.gz / .parquet) to the export.")
            absent.append(table.name)
            landings.append(Landing(table, None, landing_select(table, None, {})))
        else:
            mapping = map_export_headers(connection, source_name, table, file, variables)
            landings.append(Landing(table, file, landing_select(table, file, mapping)))
    if absent:
        progress(f"warning: {source_name} export: no file for optional object(s) {', '.join(absent)} in "
                 f"'{folder}'; they are landed empty and the metrics that need them will be empty or NULL.")
    return landings


# ----------------------------------------------------------------------------------------- engines

def load_postgres(connection: duckdb.DuckDBPyConnection, landings: list[Landing], schema: str,
                  scratch: Path) -> dict[str, int]:
    import psycopg2  # brought by dbt-postgres (requirements-postgres.txt)

    settings = {"host": os.environ.get("SALES_ACTIVITY_PG_HOST", "127.0.0.1"),
                "port": int(os.environ.get("SALES_ACTIVITY_PG_PORT", "5432")),
                "user": os.environ.get("SALES_ACTIVITY_PG_USER", "postgres"),
                "password": os.environ.get("SALES_ACTIVITY_PG_PASSWORD", ""),
                "dbname": os.environ.get("SALES_ACTIVITY_PG_DBNAME", "postgres")}
    try:
        database = psycopg2.connect(connect_timeout=10, **settings)
    except psycopg2.OperationalError as error:
        raise LoadError(f"cannot connect to PostgreSQL at {settings['host']}:{settings['port']} as "
                        f"{settings['user']} ({str(error).strip()}). Start one with "
                        "`python scripts/engines.py start-postgres` and export the SALES_ACTIVITY_PG_PORT "
                        "it prints.") from None
    counts = {}
    try:
        with database, database.cursor() as cursor:  # one transaction: commit at the end, else roll back
            cursor.execute(f"create schema if not exists {quote(schema)}")
            for landing in landings:
                started_at = time.monotonic()
                target = f"{quote(schema)}.{quote(landing.table.name)}"
                columns = [f"{quote(column.name)} text" for column in landing.table.columns]
                cursor.execute(f"drop table if exists {target} cascade")
                cursor.execute(f"create table {target} ({', '.join(columns)}, _source_file text, "
                               "_source_row_number bigint)")
                # DuckDB writes NULL as an empty field and an empty string as "": COPY's CSV reads
                # them back the same way.
                csv_file = scratch / f"{landing.table.name}.csv"
                connection.execute(f"copy ({landing.select}) to '{sql_text(csv_file)}' (format csv, header false)")
                with csv_file.open(encoding="utf-8") as handle:
                    cursor.copy_expert(f"copy {target} from stdin with (format csv)", handle)
                csv_file.unlink()
                counts[landing.table.name] = cursor.rowcount
                progress(f"{schema}.{landing.table.name}: {cursor.rowcount} rows "
                         f"({time.monotonic() - started_at:.1f} s)")
    except psycopg2.Error as error:
        raise LoadError(f"PostgreSQL refused the load into schema {schema}: {str(error).strip()}") from None
    finally:
        database.close()
    return counts


def spark_session():
    """A session configured like the profile's `spark` target, so dbt sees the same warehouse."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise LoadError("pyspark is not installed here: run this script with .venv-spark/bin/python "
                        "(`make engines-venv` creates it).") from None
    spark_dir = os.environ.get("SALES_ACTIVITY_SPARK_DIR", "target/spark")
    progress(f"starting Spark (JVM start, about 15 s; warehouse and metastore in {spark_dir})")
    session = (SparkSession.builder.enableHiveSupport()
               .config("spark.master", os.environ.get("SALES_ACTIVITY_SPARK_MASTER", "local[2]"))
               .config("spark.sql.warehouse.dir", f"{spark_dir}/warehouse")
               .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}/derby")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.showConsoleProgress", "false")  # the per-object lines are the progress
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session


def load_spark(connection: duckdb.DuckDBPyConnection, landings: list[Landing], schema: str,
               scratch: Path) -> dict[str, int]:
    spark = spark_session()
    counts = {}
    try:
        spark.sql(f"create database if not exists `{schema}`")
        for landing in landings:
            started_at = time.monotonic()
            # Parquet keeps the column types (string, bigint) and NULLs exactly; Spark reads it natively.
            parquet_file = scratch / f"{landing.table.name}.parquet"
            connection.execute(f"copy ({landing.select}) to '{sql_text(parquet_file)}' (format parquet)")
            frame = spark.read.parquet(str(parquet_file))
            frame.write.mode("overwrite").format("parquet").saveAsTable(f"`{schema}`.`{landing.table.name}`")
            counts[landing.table.name] = spark.table(f"`{schema}`.`{landing.table.name}`").count()
            progress(f"{schema}.{landing.table.name}: {counts[landing.table.name]} rows "
                     f"({time.monotonic() - started_at:.1f} s)")
    finally:
        spark.stop()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export_dir", nargs="?", help="folder of the export (one file per object)")
    parser.add_argument("--source", default="salesforce", choices=["salesforce", "hubspot"],
                        help="which CRM's contract the export follows (default salesforce)")
    parser.add_argument("--engine", required=True, choices=["postgres", "spark"])
    parser.add_argument("--schema", help="raw schema to load into (default: var <source>_raw_schema "
                                         "of dbt_project.yml, e.g. raw_salesforce)")
    parser.add_argument("--vars", default="{}", help="dbt vars as YAML/JSON, as given to dbt (header names "
                                                     "such as account_score_column, <source>_raw_schema)")
    parser.add_argument("--empty", action="store_true",
                        help="load every object of the contract empty (a CRM that is switched off)")
    args = parser.parse_args(argv)
    if (args.export_dir is None) == (not args.empty):
        parser.error("give either an export folder or --empty")
    started_at = time.monotonic()
    try:
        overrides = yaml.safe_load(args.vars) or {}
        if not isinstance(overrides, dict):
            raise LoadError(f"--vars must be a mapping, e.g. '{{account_score_column: score__c}}'; got {args.vars}")
        variables = project_vars(overrides)
        schema = args.schema or str(variables[f"{args.source}_raw_schema"])
        with duckdb.connect() as connection, tempfile.TemporaryDirectory(prefix="load_export_") as scratch:
            landings = plan(connection, args.source, args.export_dir, variables)
            progress(f"{args.source} export: {len(landings)} objects checked; loading into {args.engine} "
                     f"schema {schema}")
            load = load_postgres if args.engine == "postgres" else load_spark
            counts = load(connection, landings, schema, Path(scratch))
    except (LoadError, yaml.YAMLError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except duckdb.Error as error:  # a file that passed the header check but fails to read in full
        print(f"error: {args.source} export: reading the export failed: {error}", file=sys.stderr)
        return 1
    progress(f"loaded {sum(counts.values())} rows in {len(counts)} tables in {time.monotonic() - started_at:.1f} s")
    print(json.dumps(counts, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
