#!/usr/bin/env python3
"""Publish the public marts of the last build as one read-only DuckDB file that BI tools open.

dbt builds into a working DuckDB file (the profile's path, `target/sales_activity.duckdb`) and holds
its write lock for the whole build, while tables are replaced one by one. BI tools therefore read a
separate published file instead (`target/published/sales_activity.duckdb`), which this script
replaces in one atomic step:

1. refuse unless the last dbt command on the working file finished without failed nodes (the
   project's hooks record it in `_build_state`), so a red or killed build never reaches BI tools;
2. copy every mart (the models under models/marts/) into a new file beside the published one, with a
   `_publication` table: per mart its row count and an order-independent content hash, and the
   publication id (a hash of all of them, so two builds of the same input publish the same id);
3. checkpoint and fsync the new file, then rename it over the published one (`os.replace`).

A reader that opened the published file before the rename keeps reading the previous build, whole;
a reader that opens it after reads the new one, whole. Neither ever sees tables of two builds at
once, and a build or publish killed at any point leaves the published file as it was.

Examples:
    python scripts/publish_marts.py
    python scripts/publish_marts.py --database /tmp/build.duckdb --target-path /tmp/target \\
        --output /tmp/published/sales_activity.duckdb
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
MARTS_FOLDER = "models/marts/"


class PublishError(Exception):
    """A problem the user can fix; its message says what to do."""


def progress(message: str) -> None:
    print(f"[publish] {message}", file=sys.stderr, flush=True)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_string(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def mart_names(target_path: Path) -> list[str]:
    """The marts of the project, from the manifest of the last parse or build."""
    manifest_path = target_path / "manifest.json"
    if not manifest_path.exists():
        raise PublishError(f"{manifest_path} is missing: run `dbt build` first.")
    manifest = json.loads(manifest_path.read_text())
    names = sorted(
        node["alias"] or node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["original_file_path"].startswith(MARTS_FOLDER)
    )
    if not names:
        raise PublishError(f"{manifest_path} lists no model under {MARTS_FOLDER}.")
    return names


def check_build_state(connection: duckdb.DuckDBPyConnection, database: Path) -> str:
    """The invocation id of the last dbt command on the working database, if it finished cleanly.

    The project's on-run-start hook records `running`, its on-run-end hook `finished` with the
    number of failed nodes (macro record_build_state).
    """
    try:
        invocation_id, command, state, failed_nodes = connection.execute(
            "select invocation_id, command, state, failed_nodes from build.main._build_state").fetchone()
    except duckdb.CatalogException:
        raise PublishError(f"{database} has no build state: it was not built by this project's "
                           "`dbt build`. Run `dbt build` first.") from None
    if state != "finished":
        raise PublishError(f"the last dbt {command} on {database} (invocation {invocation_id}) did not "
                           "finish (killed or stopped by a fatal input): its marts may mix two builds. "
                           "Run `dbt build` again; the published marts stay as they were.")
    if failed_nodes:
        raise PublishError(f"the last dbt {command} on {database} (invocation {invocation_id}) had "
                           f"{failed_nodes} failed node(s): see its output or target/run_results.json. "
                           "Fix them and build again; the published marts stay as they were.")
    return invocation_id


def remove_stale_copies(output: Path) -> None:
    """Drop half-written copies left by a publish that was killed."""
    for stale in output.parent.glob(f"{output.name}.tmp-*"):
        pid = stale.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and Path(f"/proc/{pid}").exists():
            continue
        progress(f"removing {stale.name}, left by a publish that did not finish")
        stale.unlink()


def fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def copy_marts(database: Path, copy: Path, marts: list[str]) -> str:
    """Copy the marts into a new file with its `_publication` table; returns the publication id."""
    with duckdb.connect() as connection:
        connection.execute(f"attach {sql_string(database)} as build (read_only)")
        invocation_id = check_build_state(connection, database)
        connection.execute(f"attach {sql_string(copy)} as published")
        built = {row[0] for row in connection.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'build' and table_schema = 'main'").fetchall()}
        missing = [mart for mart in marts if mart not in built]
        if missing:
            raise PublishError(f"{database} has no table for mart(s) {', '.join(missing)}: "
                               "run `dbt build` (every mart) before publishing.")
        figures = []
        for number, mart in enumerate(marts, start=1):
            connection.execute(f"create table published.main.{quote(mart)} as "
                               f"select * from build.main.{quote(mart)}")
            # Order-independent and duplicate-sensitive: the sum of the rows' hashes.
            rows, row_hash_sum = connection.execute(
                f"select count(*), coalesce(sum(hash(t)), 0) from published.main.{quote(mart)} as t"
            ).fetchone()
            figures.append((mart, rows, f"{rows}:{row_hash_sum}"))
            progress(f"{number}/{len(marts)} {mart}: {rows:,} rows")
        publication_id = hashlib.sha256(
            "|".join(f"{mart}={content}" for mart, _, content in figures).encode()
        ).hexdigest()[:16]
        connection.execute(
            "create table published.main._publication ("
            "publication_id varchar, published_at timestamptz, mart varchar, row_count bigint, "
            "content_hash varchar)"
        )
        connection.executemany(
            "insert into published.main._publication values (?, now(), ?, ?, ?)",
            [(publication_id, mart, rows, content) for mart, rows, content in figures],
        )
        connection.execute("checkpoint published")
        connection.execute("detach published")
    return publication_id


def publish(database: Path, target_path: Path, output: Path) -> str:
    if not database.exists():
        raise PublishError(f"{database} does not exist: run `dbt build` first "
                           "(or pass --database / set SALES_ACTIVITY_DUCKDB_PATH).")
    marts = mart_names(target_path)
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_copies(output)
    copy = output.with_name(f"{output.name}.tmp-{os.getpid()}")
    progress(f"copying {len(marts)} marts from {database}")
    try:
        publication_id = copy_marts(database, copy, marts)
        fsync(copy)
        os.replace(copy, output)
        fsync(output.parent)
    finally:
        for leftover in (copy, copy.with_name(copy.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return publication_id


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="BI tools connect read-only to the output file; see README 'Data quality and guarantees'.",
    )
    parser.add_argument("--database", type=Path,
                        default=Path(os.environ.get("SALES_ACTIVITY_DUCKDB_PATH", "target/sales_activity.duckdb")),
                        help="the working DuckDB file dbt built (default: $SALES_ACTIVITY_DUCKDB_PATH "
                             "or target/sales_activity.duckdb)")
    parser.add_argument("--target-path", type=Path, default=Path("target"),
                        help="dbt's target folder of that build, for its manifest.json (default: target)")
    parser.add_argument("--output", type=Path,
                        default=Path(os.environ.get("SALES_ACTIVITY_PUBLISHED_PATH",
                                                    "target/published/sales_activity.duckdb")),
                        help="the published file BI tools read (default: $SALES_ACTIVITY_PUBLISHED_PATH "
                             "or target/published/sales_activity.duckdb)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        publication_id = publish(args.database, args.target_path, args.output)
    except PublishError as error:
        print(f"publish_marts: {error}", file=sys.stderr)
        return 1
    except duckdb.Error as error:
        print(f"publish_marts: DuckDB could not copy the marts from {args.database} to {args.output}: "
              f"{error}", file=sys.stderr)
        return 1
    progress(f"published {publication_id} to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
