#!/usr/bin/env python3
"""Compare the public marts of two revisions of the project and print a Markdown report for a pull request.

Each revision is built into its own throw-away DuckDB file: a git revision is checked out with
`git worktree add` into a temporary folder (your working tree is never touched); the working tree
itself (the default head) is built in place into a temporary database and target folder. Then every
mart under models/marts/ is compared row by row on its primary key: rows added, removed, changed and
unchanged, which columns changed, the most frequent value transitions (e.g. health_status
yellow → green) and the biggest changes in numeric columns (before → after).

The primary key of a mart is, in order: `meta: {primary_key: [col, ...]}` on the model, the columns
with a `primary_key` constraint, the columns of a `unique_combination` test, a column with a
`unique` test.

Examples:
    python scripts/mart_diff.py                              # origin/main (or HEAD~1) vs working tree
    python scripts/mart_diff.py --base main --head my-branch --top 10 > mart_diff.md
    python scripts/mart_diff.py --base HEAD~1 --export-dir tests/fixtures/exports/handwritten_api_names
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORKING_TREE = "working tree"
MARTS_FOLDER = "models/marts/"
FLOAT_TYPES = {"FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8"}
NUMERIC_PREFIXES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                    "UINTEGER", "UBIGINT", "UHUGEINT", "DECIMAL", "NUMERIC", "FLOAT", "DOUBLE", "REAL")
CATEGORICAL_PREFIXES = ("VARCHAR", "BOOLEAN", "DATE")
ERROR_TAIL_LINES = 25
SKIPPED = ["test_type:unit"]                                       # unit tests do not read the export
SKIPPED_WITH_TESTS = ["resource_type:test", "resource_type:unit_test"]


class MartDiffError(Exception):
    """A problem the user can fix; its message says what to do."""


# ---------------------------------------------------------------------------------------------------
# Progress and small helpers


def progress(message: str) -> None:
    print(f"[mart_diff] {message}", file=sys.stderr, flush=True)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_string(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def git(repo: Path, *args: str) -> str:
    completed = run(["git", *args], cwd=repo)
    if completed.returncode != 0:
        raise MartDiffError(f"git {' '.join(args)} failed in {repo}:\n{completed.stderr.strip()}")
    return completed.stdout.strip()


# ---------------------------------------------------------------------------------------------------
# Revisions and builds


@dataclass
class Revision:
    label: str          # what the user asked for: a git revision or "working tree"
    sha: str | None     # None for the working tree
    source: Path        # folder dbt runs in
    database: Path
    target: Path
    logs: Path
    worktree: bool = False


def find_repo(path: Path) -> Path:
    completed = run(["git", "rev-parse", "--show-toplevel"], cwd=path)
    if completed.returncode != 0:
        raise MartDiffError(f"{path} is not inside a git repository: run from the sales_activity "
                            "checkout or pass --repo PATH.")
    return Path(completed.stdout.strip())


def resolve_sha(repo: Path, revision: str) -> str | None:
    completed = run(["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd=repo)
    return completed.stdout.strip() if completed.returncode == 0 else None


def default_base(repo: Path) -> str:
    for candidate in ("origin/main", "HEAD~1"):
        if resolve_sha(repo, candidate):
            return candidate
    raise MartDiffError("neither origin/main nor HEAD~1 exists: pass --base REVISION.")


def prepare_revision(repo: Path, label: str, workdir: Path, name: str) -> Revision:
    """Check a revision out into workdir/<name>-src, or point at the working tree."""
    folder = workdir / name
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"database": folder / "sales_activity.duckdb", "target": folder / "target",
             "logs": folder / "logs"}
    if label == WORKING_TREE:
        return Revision(label, None, repo, **paths)
    sha = resolve_sha(repo, label)
    if sha is None:
        raise MartDiffError(f"unknown revision '{label}' for --{name}: check the name "
                            "(git log --oneline) or fetch it first.")
    source = workdir / f"{name}-src"
    git(repo, "worktree", "add", "--detach", "--quiet", str(source), sha)
    return Revision(label, sha, source, worktree=True, **paths)


def remove_worktree(repo: Path, revision: Revision) -> None:
    if revision.worktree and revision.source.exists():
        run(["git", "worktree", "remove", "--force", str(revision.source)], cwd=repo)


def find_dbt(explicit: str | None) -> str:
    if explicit:
        return explicit
    beside = Path(sys.executable).with_name("dbt")
    if beside.exists():
        return str(beside)
    found = shutil.which("dbt")
    if not found:
        raise MartDiffError("dbt not found: run with the project's venv (.venv/bin/python "
                            "scripts/mart_diff.py) or pass --dbt PATH.")
    return found


def error_tail(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return "\n".join(lines[-ERROR_TAIL_LINES:])


def build(revision: Revision, dbt: str, export_dir: Path | None, skip_tests: bool) -> Path:
    """Run dbt build for one revision; return its manifest path. Raise with the dbt error tail."""
    env = {**os.environ,
           "DBT_PROFILES_DIR": str(revision.source),
           "SALES_ACTIVITY_DUCKDB_PATH": str(revision.database),
           "SALES_ACTIVITY_TARGET": "duckdb",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DBT_USE_COLORS": "false"}
    command = [dbt, "build", "--exclude", *(SKIPPED_WITH_TESTS if skip_tests else SKIPPED),
               "--target-path", str(revision.target), "--log-path", str(revision.logs)]
    if export_dir is not None:
        command += ["--vars", json.dumps({"salesforce_export_dir": str(export_dir)})]
    completed = run(command, cwd=revision.source, env=env)
    if completed.returncode != 0:
        raise MartDiffError(
            f"dbt build failed for {describe(revision)} (exit {completed.returncode}). "
            f"Fix the build of that revision, then run again. Last lines of dbt's output:\n"
            f"{error_tail(completed.stdout + completed.stderr)}")
    return revision.target / "manifest.json"


def describe(revision: Revision) -> str:
    return revision.label if revision.sha is None else f"{revision.label} ({revision.sha[:8]})"


# ---------------------------------------------------------------------------------------------------
# Marts and their keys (from dbt's manifest)


@dataclass
class Mart:
    name: str
    schema: str
    alias: str
    key: list[str]


def primary_key(node: dict[str, Any], tests: list[dict[str, Any]]) -> list[str]:
    """meta.primary_key, else primary_key constraints, else unique_combination, else unique."""
    meta = {**node.get("meta", {}), **node.get("config", {}).get("meta", {})}
    if meta.get("primary_key"):
        value = meta["primary_key"]
        return [value] if isinstance(value, str) else list(value)
    for constraint in node.get("constraints", []):
        if constraint.get("type") == "primary_key" and constraint.get("columns"):
            return list(constraint["columns"])
    constrained = [name for name, column in node.get("columns", {}).items()
                   if any(c.get("type") == "primary_key" for c in column.get("constraints", []))]
    if constrained:
        return constrained
    by_test: dict[str, list[list[str]]] = {"unique_combination": [], "unique": []}
    for test in tests:
        metadata = test.get("test_metadata") or {}
        if metadata.get("name") == "unique_combination":
            by_test["unique_combination"].append(list(metadata.get("kwargs", {}).get("columns", [])))
        elif metadata.get("name") == "unique" and test.get("column_name"):
            by_test["unique"].append([test["column_name"]])
    for kind in ("unique_combination", "unique"):
        if by_test[kind]:
            return sorted(by_test[kind])[0]
    return []


def marts_from_manifest(manifest_path: Path) -> dict[str, Mart]:
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise MartDiffError(f"cannot read dbt's manifest {manifest_path}: {error}") from error
    nodes = manifest.get("nodes", {})
    tests_by_model: dict[str, list[dict[str, Any]]] = {}
    for node in nodes.values():
        if node.get("resource_type") == "test" and node.get("attached_node"):
            tests_by_model.setdefault(node["attached_node"], []).append(node)
    marts = {}
    for unique_id, node in nodes.items():
        if (node.get("resource_type") == "model"
                and node.get("original_file_path", "").startswith(MARTS_FOLDER)
                and node.get("config", {}).get("materialized") != "ephemeral"):
            marts[node["name"]] = Mart(node["name"], node["schema"], node.get("alias") or node["name"],
                                       primary_key(node, tests_by_model.get(unique_id, [])))
    return marts


# ---------------------------------------------------------------------------------------------------
# Comparison (pure: two relations on one DuckDB connection)


@dataclass
class ColumnChange:
    name: str
    changed_rows: int
    base_type: str
    head_type: str
    transitions: list[tuple[Any, Any, int]] = field(default_factory=list)      # before, after, rows
    biggest: list[tuple[tuple, Any, Any, Any]] = field(default_factory=list)   # key, before, after, delta


@dataclass
class TableDiff:
    key: list[str]
    base_rows: int
    head_rows: int
    added: int | None = None
    removed: int | None = None
    changed: int | None = None
    unchanged: int | None = None
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    column_changes: list[ColumnChange] = field(default_factory=list)
    added_keys: list[tuple] = field(default_factory=list)
    removed_keys: list[tuple] = field(default_factory=list)
    note: str = ""


def column_types(connection: Any, relation: str) -> dict[str, str]:
    rows = connection.execute(f"describe select * from {relation}").fetchall()
    return {row[0]: str(row[1]).upper() for row in rows}


def is_numeric(data_type: str) -> bool:
    return data_type.startswith(NUMERIC_PREFIXES)


def differs(column: str, base_type: str, head_type: str) -> str:
    """SQL predicate: the column's value differs between b.<column> and h.<column>."""
    b, h = f"b.{quote(column)}", f"h.{quote(column)}"
    if base_type != head_type and not (is_numeric(base_type) and is_numeric(head_type)):
        return f"(cast({b} as varchar) is distinct from cast({h} as varchar))"
    if base_type in FLOAT_TYPES or head_type in FLOAT_TYPES:
        return (f"(({b} is null) <> ({h} is null) or "
                f"abs({b} - {h}) > 1e-9 * greatest(1, abs({b}), abs({h})))")
    return f"({b} is distinct from {h})"


def compare_tables(connection: Any, base: str, head: str, key: list[str], top: int = 5) -> TableDiff:
    """Compare two relations (qualified names) on `key`: rows added / removed / changed / unchanged."""
    base_types, head_types = column_types(connection, base), column_types(connection, head)
    count = lambda relation: connection.execute(f"select count(*) from {relation}").fetchone()[0]
    diff = TableDiff(key, count(base), count(head),
                     columns_added=[c for c in head_types if c not in base_types],
                     columns_removed=[c for c in base_types if c not in head_types])
    missing = [c for c in key if c not in base_types or c not in head_types]
    if not key or missing:
        diff.note = (f"key column(s) {', '.join(missing)} missing in one revision" if key else
                     "no primary key declared (add meta: {primary_key: [...]} or a unique test)")
        diff.note += ": compared row counts only."
        return diff
    keys = ", ".join(quote(c) for c in key)
    for relation, side in ((base, "base"), (head, "head")):
        distinct = connection.execute(f"select count(*) from (select distinct {keys} from {relation})"
                                      ).fetchone()[0]
        if distinct != count(relation):
            diff.note = f"key ({', '.join(key)}) is not unique in {side}: compared row counts only."
            return diff
    join = " and ".join(f"b.{quote(c)} is not distinct from h.{quote(c)}" for c in key)
    key_b = ", ".join(f"b.{quote(c)}" for c in key)
    key_h = ", ".join(f"h.{quote(c)}" for c in key)
    diff.added_keys = connection.execute(
        f"select {key_h} from {head} as h anti join {base} as b on {join} order by all limit {top}"
    ).fetchall()
    diff.removed_keys = connection.execute(
        f"select {key_b} from {base} as b anti join {head} as h on {join} order by all limit {top}"
    ).fetchall()
    diff.added = connection.execute(
        f"select count(*) from {head} as h anti join {base} as b on {join}").fetchone()[0]
    diff.removed = connection.execute(
        f"select count(*) from {base} as b anti join {head} as h on {join}").fetchone()[0]
    compared = [c for c in head_types if c in base_types and c not in key]
    predicates = {c: differs(c, base_types[c], head_types[c]) for c in compared}
    matched = f"{base} as b inner join {head} as h on {join}"
    aggregates = [f"count(*) filter (where {predicates[c]})" for c in compared]
    any_change = " or ".join(predicates.values()) or "false"
    row = connection.execute(
        f"select count(*), count(*) filter (where {any_change}) "
        f"{''.join(', ' + a for a in aggregates)} from {matched}").fetchone()
    diff.changed, diff.unchanged = row[1], row[0] - row[1]
    for column, changed_rows in zip(compared, row[2:]):
        if changed_rows:
            diff.column_changes.append(column_change(connection, matched, column, predicates[column],
                                                     key_h, changed_rows, base_types[column],
                                                     head_types[column], top))
    return diff


def column_change(connection: Any, matched: str, column: str, predicate: str, key_h: str,
                  changed_rows: int, base_type: str, head_type: str, top: int) -> ColumnChange:
    """The most frequent transitions (categorical columns) or biggest changes (numeric columns)."""
    change = ColumnChange(column, changed_rows, base_type, head_type)
    b, h = f"b.{quote(column)}", f"h.{quote(column)}"
    if is_numeric(base_type) and is_numeric(head_type):
        rows = connection.execute(
            f"select {key_h}, {b}, {h}, {h} - {b} as delta from {matched} where {predicate} "
            f"order by abs(delta) desc nulls last, {key_h} limit {top}").fetchall()
        change.biggest = [(tuple(r[:-3]), r[-3], r[-2], r[-1]) for r in rows]
    elif base_type.startswith(CATEGORICAL_PREFIXES) or base_type != head_type:
        change.transitions = connection.execute(
            f"select cast({b} as varchar) as before_value, cast({h} as varchar) as after_value, "
            f"count(*) as n from {matched} where {predicate} "
            f"group by all order by n desc, before_value, after_value limit {top}"
        ).fetchall()
    return change


# ---------------------------------------------------------------------------------------------------
# The report


def cell(value: Any, width: int = 60) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def key_text(values: tuple) -> str:
    return ", ".join(cell(v) for v in values)


def signed(value: Any) -> str:
    if value is None:
        return "NULL"
    text = cell(value)
    return text if text.startswith("-") else f"+{text}"


def mart_section(name: str, diff: TableDiff) -> list[str]:
    lines = [f"### `{name}`", ""]
    if diff.note:
        lines += [f"_{diff.note}_", ""]
    if diff.columns_added or diff.columns_removed:
        lines += [f"Columns added: {', '.join(diff.columns_added) or 'none'}; "
                  f"removed: {', '.join(diff.columns_removed) or 'none'}.", ""]
    for title, sample, total in (("Added", diff.added_keys, diff.added),
                                 ("Removed", diff.removed_keys, diff.removed)):
        if total:
            more = f" (first {len(sample)} of {total:,})" if total > len(sample) else ""
            keys = "; ".join(f"`{key_text(k)}`" for k in sample)
            lines += [f"{title} keys ({', '.join(diff.key)}){more}: {keys}", ""]
    if diff.column_changes:
        summary = ", ".join(f"`{c.name}` ({c.changed_rows:,})" for c in diff.column_changes)
        lines += [f"Changed columns (rows): {summary}", ""]
    for change in diff.column_changes:
        if change.base_type != change.head_type:
            lines += [f"`{change.name}` type: {change.base_type} → {change.head_type}", ""]
        if change.transitions:
            lines += [f"**`{change.name}`** — most frequent changes", "", "| before → after | rows |",
                      "|---|---:|"]
            lines += [f"| {cell(b)} → {cell(a)} | {n:,} |" for b, a, n in change.transitions]
            lines.append("")
        if change.biggest:
            lines += [f"**`{change.name}`** — biggest changes", "",
                      f"| {', '.join(diff.key)} | before → after | change |", "|---|---|---:|"]
            lines += [f"| {key_text(k)} | {cell(b)} → {cell(a)} | {signed(d)} |"
                      for k, b, a, d in change.biggest]
            lines.append("")
    return lines


def render_report(base: Revision, head: Revision, export_dir: Path | None,
                  diffs: dict[str, TableDiff], added: dict[str, int], dropped: dict[str, int],
                  top: int, skip_tests: bool = False) -> str:
    export = f"`{export_dir}`" if export_dir else "each revision's default export (`salesforce_export_dir`)"
    lines = [f"## Mart diff: `{describe(base)}` → `{describe(head)}`", "",
             f"Both revisions built with `dbt build --exclude "
             f"{' '.join(SKIPPED_WITH_TESTS if skip_tests else SKIPPED)}` on {export}. Rows are "
             f"matched on each mart's primary key; biggest changes show the top {top} per column.", "",
             "| mart | key | rows before | rows after | added | removed | changed | unchanged |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    number = lambda value: "n/a" if value is None else f"{value:,}"
    for name, diff in sorted(diffs.items()):
        lines.append(f"| `{name}` | {', '.join(diff.key) or 'none'} | {diff.base_rows:,} | "
                     f"{diff.head_rows:,} | {number(diff.added)} | {number(diff.removed)} | "
                     f"{number(diff.changed)} | {number(diff.unchanged)} |")
    lines.append("")
    for title, marts in (("Marts added", added), ("Marts dropped", dropped)):
        if marts:
            lines += [f"**{title}:** " + ", ".join(f"`{m}` ({n:,} rows)" for m, n in sorted(marts.items())),
                      ""]
    quiet = [name for name, diff in sorted(diffs.items()) if is_unchanged(diff)]
    if quiet:
        lines += ["No changes in: " + ", ".join(f"`{name}`" for name in quiet) + ".", ""]
    for name, diff in sorted(diffs.items()):
        if not is_unchanged(diff):
            lines += mart_section(name, diff)
    return "\n".join(lines).rstrip() + "\n"


def is_unchanged(diff: TableDiff) -> bool:
    return (not diff.note and not diff.added and not diff.removed and not diff.changed
            and not diff.columns_added and not diff.columns_removed)


# ---------------------------------------------------------------------------------------------------
# Orchestration


def relation_exists(connection: Any, catalog: str, mart: Mart) -> bool:
    return connection.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = ? and table_schema = ? and table_name = ?",
        [catalog, mart.schema, mart.alias]).fetchone()[0] > 0


def compare_builds(base: Revision, head: Revision, base_marts: dict[str, Mart],
                   head_marts: dict[str, Mart], top: int
                   ) -> tuple[dict[str, TableDiff], dict[str, int], dict[str, int]]:
    import duckdb  # the project's own dependency; imported here so --help works anywhere

    connection = duckdb.connect()
    connection.execute(f"attach {sql_string(base.database)} as base_db (read_only)")
    connection.execute(f"attach {sql_string(head.database)} as head_db (read_only)")
    name = lambda catalog, mart: f"{catalog}.{quote(mart.schema)}.{quote(mart.alias)}"
    count = lambda relation: connection.execute(f"select count(*) from {relation}").fetchone()[0]
    present_base = {m: v for m, v in base_marts.items() if relation_exists(connection, "base_db", v)}
    present_head = {m: v for m, v in head_marts.items() if relation_exists(connection, "head_db", v)}
    diffs = {}
    for mart_name in sorted(present_base.keys() & present_head.keys()):
        progress(f"  comparing {mart_name}")
        head_mart, base_mart = present_head[mart_name], present_base[mart_name]
        key = head_mart.key or base_mart.key
        base_name, head_name = name("base_db", base_mart), name("head_db", head_mart)
        try:
            diffs[mart_name] = compare_tables(connection, base_name, head_name, key, top)
        except duckdb.Error as error:  # one mart that cannot be compared does not stop the report
            diffs[mart_name] = TableDiff(key, count(base_name), count(head_name),
                                         note=f"could not compare rows ({error}); rerun with --keep "
                                              "and query the two databases")
    added = {m: count(name("head_db", v)) for m, v in present_head.items() if m not in present_base}
    dropped = {m: count(name("base_db", v)) for m, v in present_base.items() if m not in present_head}
    connection.close()
    return diffs, added, dropped


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Build two revisions of the project into their own DuckDB files and print a "
                    "Markdown diff of every public mart (rows added / removed / changed by primary "
                    "key, biggest metric changes) to paste into a pull request. Progress goes to "
                    "stderr, the report to stdout.",
        epilog="Keys: meta.primary_key on the model, else primary_key constraints, else the columns "
               "of a unique_combination test, else a column with a unique test.")
    parser.add_argument("--base", help="git revision to compare from (default: origin/main if it "
                                       "exists, else HEAD~1)")
    parser.add_argument("--head", default=WORKING_TREE,
                        help="git revision to compare to (default: the working tree, uncommitted "
                             "changes included)")
    parser.add_argument("--export-dir", type=Path,
                        help="export folder passed to both builds as var salesforce_export_dir "
                             "(default: each revision's own default, the demo export)")
    parser.add_argument("--top", type=int, default=5,
                        help="rows shown per changed column and keys per added/removed list (default 5)")
    parser.add_argument("--repo", type=Path, default=Path.cwd(),
                        help="the project's git checkout (default: the current directory)")
    parser.add_argument("--dbt", help="dbt executable (default: the one beside this Python, else PATH)")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--skip-tests", action="store_true",
                        help="build seeds and models only, no data tests (faster; the pull request's "
                             "CI still runs them)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary databases, target and log folders (path printed)")
    args = parser.parse_args(argv)
    if args.top < 1:
        parser.error("--top must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    repo: Path | None = None
    revisions: list[Revision] = []
    workdir = Path(tempfile.mkdtemp(prefix="mart_diff_"))
    try:
        repo = find_repo(args.repo.resolve())
        export_dir = args.export_dir.resolve() if args.export_dir else None
        if export_dir is not None and not export_dir.is_dir():
            raise MartDiffError(f"--export-dir {export_dir} is not a folder: pass the folder that "
                                "holds one file per Salesforce object.")
        dbt = find_dbt(args.dbt)
        base_label = args.base or default_base(repo)
        steps = 5
        manifests = []
        for step, (name, label) in enumerate((("base", base_label), ("head", args.head)), start=1):
            revision = prepare_revision(repo, label, workdir, name)
            revisions.append(revision)
            progress(f"{step * 2 - 1}/{steps} {name}: {describe(revision)} in {revision.source}")
            progress(f"{step * 2}/{steps} {name}: dbt build into {revision.database} (about a minute "
                     "on the demo export)")
            manifests.append(marts_from_manifest(build(revision, dbt, export_dir, args.skip_tests)))
        progress(f"5/{steps} comparing marts")
        diffs, added, dropped = compare_builds(revisions[0], revisions[1], *manifests, top=args.top)
        report = render_report(revisions[0], revisions[1], export_dir, diffs, added, dropped, args.top,
                               args.skip_tests)
        if args.output:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(report, encoding="utf-8")
            progress(f"report written to {args.output}")
        sys.stdout.write(report)
        return 0
    except MartDiffError as error:
        print(f"mart_diff: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("mart_diff: interrupted", file=sys.stderr)
        return 130
    finally:
        for revision in revisions:
            if repo is not None:
                remove_worktree(repo, revision)
        if args.keep:
            progress(f"kept databases, targets and logs in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
