#!/usr/bin/env python3
"""Great Expectations gates around the build: `input` checks the raw export before staging, `output`
checks the public marts after `dbt build`. A failing gate exits 1 with a summary naming the object,
the expectation, the observed share against its threshold and a few bad values.

Both gates write Great Expectations' Data Docs and a self-contained summary page (inline CSS, no
external URL, readable offline) to the docs folder (default target/data_docs/index.html).

Checks are computed in DuckDB with the build's own definitions and handed to Great Expectations as
one narrow pandas frame per object: one column per check holding NULL (nothing to check), a mark
(the value passes) or the offending raw value (so the bad values are what the summary samples).
Text columns are fetched in chunks and kept as pandas categoricals, so memory grows with the number
of distinct bad values rather than with the raw text of every row.

Thresholds and the lists that are not derived from the dbt YAML live in gates/input_gate.yml and
gates/output_gate.yml.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
GATES_DIR = REPO / "gates"
DBT = Path(sys.executable).with_name("dbt")
PASS_MARK = "✓"
SAMPLE_SIZE = 5
CHUNK_VECTORS = 50  # DuckDB vectors (2,048 rows each) fetched per chunk
STARTED = time.monotonic()


class GateError(Exception):
    """The gate cannot run (bad configuration, dbt refused the export or vars, no database)."""


@dataclass
class Check:
    """One expectation on one frame column, with the words the summary uses for it."""

    kind: str
    column: str
    expectation: Any
    threshold: float | None = None


@dataclass
class Suite:
    name: str
    label: str
    frame: pd.DataFrame
    checks: list[Check] = field(default_factory=list)
    note: str = ""


# ---------------------------------------------------------------------------------------------------
# dbt, vars and the manifest


def load_vars(vars_text: str | None) -> dict[str, Any]:
    """The project's vars with the command line's on top, as dbt resolves them."""
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text(encoding="utf-8"))
    given = yaml.safe_load(vars_text) if vars_text else {}
    if not isinstance(given, dict):
        raise GateError("--vars must be a YAML/JSON mapping, e.g. '{salesforce_export_dir: data/x}', "
                        f"got {vars_text!r}")
    return {**(project.get("vars") or {}), **given}


def run_dbt(arguments: list[str], args: argparse.Namespace) -> None:
    """Run one dbt command into the gates' own target folder; a refusal becomes a GateError naming
    dbt's own message (which says what to fix)."""
    env = {**os.environ, "SALES_ACTIVITY_DUCKDB_PATH": str(args.duckdb_path),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.setdefault("DBT_PROFILES_DIR", str(REPO))
    command = [str(DBT), *arguments, "--target-path", str(args.dbt_target_path),
               "--log-path", str(args.dbt_target_path / "logs")]
    if args.vars:
        command += ["--vars", args.vars]
    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        text = re.sub(r"\x1b\[[0-9;]*m", "", completed.stdout + completed.stderr)
        lines = [re.sub(r"^\d\d:\d\d:\d\d\s+", "", line) for line in text.splitlines()]
        chatter = ("Running with", "Registered", "Found ", "Unable to do partial parsing")
        errors = [line for line in lines if line.strip() and not line.startswith(chatter)]
        raise GateError(f"dbt {' '.join(arguments)} failed:\n  " + "\n  ".join(errors[-12:]))


def load_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise GateError(f"no dbt manifest at {path}: run dbt (e.g. dbt parse) first or pass --manifest")
    return json.loads(path.read_text(encoding="utf-8"))


def load_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise GateError(f"gate configuration {path} does not exist")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------------------
# Great Expectations


def fetch_frame(connection: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """Run `sql` and return its result with text columns as categoricals, fetched chunk by chunk."""
    result = connection.execute(sql)
    names = [column[0] for column in result.description]
    chunks: list[pd.DataFrame] = []
    while not (chunk := result.fetch_df_chunk(CHUNK_VECTORS)).empty:
        for name in names:
            if pd.api.types.is_object_dtype(chunk[name]) or pd.api.types.is_string_dtype(chunk[name]):
                chunk[name] = chunk[name].astype("category")
        chunks.append(chunk)
    if not chunks:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in names})
    columns = {}
    for name in names:
        parts = [chunk[name] for chunk in chunks]
        if any(isinstance(part.dtype, pd.CategoricalDtype) for part in parts):
            parts = [part.astype("category") for part in parts]
            columns[name] = pd.Series(pd.api.types.union_categoricals(parts, ignore_order=True))
        else:
            columns[name] = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(columns)


def passes(column: str, threshold: float, **meta: Any) -> Any:
    """The share of set values of `column` that carry the pass mark must reach `threshold`."""
    return gx.expectations.ExpectColumnValuesToBeInSet(
        column=column, value_set=[PASS_MARK], mostly=threshold, meta=meta)


class Validator:
    """An ephemeral Great Expectations context writing its Data Docs to `docs_dir`."""

    def __init__(self, gate: str, docs_dir: Path) -> None:
        self.gate = gate
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.site_dir = docs_dir / "gx" / gate
        shutil.rmtree(self.site_dir, ignore_errors=True)
        self.context.add_data_docs_site(f"{gate}_gate", {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(self.site_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
        self.source = self.context.data_sources.add_pandas(f"{gate}_frames")

    def run(self, suite: Suite) -> list[dict[str, Any]]:
        """Validate one frame with a checkpoint and return one summary record per expectation."""
        gx_suite = self.context.suites.add(gx.ExpectationSuite(name=suite.name))
        for check in suite.checks:
            gx_suite.add_expectation(check.expectation)
        batch = self.source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("whole")
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))
        checkpoint = self.context.checkpoints.add(gx.Checkpoint(
            name=suite.name, validation_definitions=[definition],
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 20}))
        outcome = checkpoint.run(batch_parameters={"dataframe": suite.frame})
        records = []
        for validation in outcome.run_results.values():
            for result, check in zip(validation.results, suite.checks):
                records.append(self.record(suite, check, result))
        return records

    def record(self, suite: Suite, check: Check, result: Any) -> dict[str, Any]:
        details = result.result or {}
        observed: str
        checked = (details.get("element_count") or 0) - (details.get("missing_count") or 0)
        if "unexpected_percent" in details and checked:
            share = 1 - (details.get("unexpected_percent") or 0) / 100
            observed = f"{share:.4f} of {checked}"
        elif check.expectation.expectation_type == "expect_column_to_exist":
            observed = "present" if result.success else "missing"
        elif check.expectation.expectation_type == "expect_table_row_count_to_equal":
            observed = "file found" if result.success else "no file"
        else:
            observed = "no value to check"
        samples = [str(item["value"]) for item in details.get("partial_unexpected_counts", [])
                   if item.get("count") and str(item["value"]) not in ("nan", "None")][:SAMPLE_SIZE]
        return {
            "gate": self.gate, "suite": suite.name, "object": suite.label, "check": check.kind,
            "column": check.column, "expectation": check.expectation.expectation_type,
            "success": bool(result.success), "observed": observed,
            "threshold": check.threshold, "samples": samples, "note": suite.note,
        }

    def build_docs(self) -> Path:
        self.context.build_data_docs()
        return self.site_dir / "index.html"


# ---------------------------------------------------------------------------------------------------
# Input gate


def header_key(header: str) -> str:
    """The landing's header match: case and punctuation ignored (macro header_key)."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def find_export_file(folder: Path, name: str) -> Path | None:
    for extension in ("csv", "csv.gz", "parquet"):
        if (folder / f"{name}.{extension}").is_file():
            return folder / f"{name}.{extension}"
    return None


def file_headers(path: Path) -> list[str]:
    reader = (f"read_parquet({literal(path)})" if path.name.endswith(".parquet")
              else f"read_csv({literal(path)}, header = true, all_varchar = true)")
    with duckdb.connect() as connection:
        return [row[0] for row in connection.sql(f"describe select * from {reader}").fetchall()]


def enabled_sources(manifest: dict[str, Any], variables: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Source name -> object name -> source node, for the sources the vars enable. The var
    `<source>_enabled` decides, as in the landing (the manifest keeps a source whose `enabled`
    config is a rendered var)."""
    sources: dict[str, dict[str, dict[str, Any]]] = {}
    for node in manifest["sources"].values():
        enabled = variables.get(f"{node['source_name']}_enabled", True)
        if node["config"].get("enabled", True) and enabled not in (False, "false", "False"):
            sources.setdefault(node["source_name"], {})[node["name"]] = node
    return sources


def check_input_config(config: dict[str, Any], sources: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Every object and column the configuration names must exist in the contract of an enabled source."""
    problems = []

    def need(source: str, table: str, column: str, where: str) -> None:
        node = sources.get(source, {}).get(table)
        if node is None:
            problems.append(f"{where}: object {source}.{table} is not in the {source} source contract")
        elif column not in node["columns"]:
            problems.append(f"{where}: column {column} is not in the contract of {source}.{table}")

    for source, tables in (config.get("activity_types") or {}).items():
        for table, columns in (tables or {}).items():
            for column in columns["columns"] if source in sources else []:
                need(source, table, column, "activity_types")
    for source, tables in (config.get("references") or {}).items():
        for table, references in (tables or {}).items():
            for reference in references if source in sources else []:
                need(source, table, reference["column"], "references")
                for target in reference["targets"]:
                    need(source, *target.split(".", 1), "references target")
    for key, column in (config.get("id_columns") or {}).items():
        source, table = key.split(".", 1)
        if source in sources:
            need(source, table, column, "id_columns")
    if problems:
        raise GateError("gates/input_gate.yml does not match the source contracts:\n  - " + "\n  - ".join(problems))


def column_suite(source: str, node: dict[str, Any], folder: Path) -> Suite | None:
    """Required columns present in the export file's header, matched as the landing matches them."""
    table = node["name"]
    required = [name for name, column in node["columns"].items() if (column.get("meta") or {}).get("required")]
    path = find_export_file(folder, table)
    if path is None and not node["meta"].get("required_object", True):
        print(f"input: {source}.{table}: no file (optional object), landed empty", flush=True)
        return None
    label = f"{source}.{table}"
    if path is None:
        # One failure for the object rather than one per column of a file that is not there.
        suite = Suite(f"input.{label}.columns", label, pd.DataFrame({"file": pd.Series(dtype="object")}),
                      note=f"no file {table}.csv / .csv.gz / .parquet for required object {table} in {folder}")
        suite.checks = [Check("required object present", f"{table}.*",
                              gx.expectations.ExpectTableRowCountToEqual(value=1, meta={"folder": str(folder)}))]
        return suite
    keys = {header_key(header) for header in file_headers(path)}
    present = [name for name in node["columns"] if header_key(name) in keys]
    suite = Suite(f"input.{label}.columns", label, pd.DataFrame(columns=present), note=f"file {path}")
    suite.checks = [Check("required column present", name, gx.expectations.ExpectColumnToExist(column=name))
                    for name in required]
    return suite


def threshold_for(config: dict[str, Any], kind: str, source: str, table: str, column: str) -> float:
    overrides = config.get("threshold_overrides") or {}
    return float(overrides.get(f"{source}.{table}.{column}", config["thresholds"][kind]))


def value_suite(config: dict[str, Any], source: str, node: dict[str, Any], type_map: pd.DataFrame,
                connection: duckdb.DuckDBPyConnection) -> Suite:
    """Ids, timestamps, activity types and references of one landed object."""
    table = node["name"]
    relation = f"{quote(node['schema'])}.{quote(table)}"
    columns = list(node["columns"])
    selects: list[str] = []
    checks: list[Check] = []

    def add(kind: str, column: str, label: str, expression: str) -> None:
        threshold = threshold_for(config, kind, source, table, column)
        selects.append(f"{expression} as {quote(label)}")
        checks.append(Check(kind.replace("_", " "), label, passes(label, threshold, check=kind), threshold))

    def blank(column: str) -> str:
        return f"nullif(trim({quote(column)}), '') is null"

    id_column = (config.get("id_columns") or {}).get(f"{source}.{table}", "id" if "id" in columns else None)
    if id_column:
        add("id_present", id_column, f"id set: {id_column}",
            f"case when {blank(id_column)} then 'row ' || _source_row_number else {literal(PASS_MARK)} end")

    pattern = re.compile(config["timestamp_column_pattern"], re.IGNORECASE)
    epoch = source in (config.get("epoch_millisecond_sources") or [])
    for column in (name for name in columns if pattern.search(name)):
        value = quote(column)
        readable = f"try_cast({value} as timestamptz) is not null or try_cast(trim({value}) as date) is not null"
        if epoch:
            readable += f" or regexp_full_match(trim({value}), '[0-9]{{10,13}}')"
        add("timestamp_parseable", column, f"parses: {column}",
            f"case when {blank(column)} then null when {readable} then {literal(PASS_MARK)} else {value} end")

    type_rule = (config.get("activity_types") or {}).get(source, {}).get(table)
    if type_rule:
        type_columns = type_rule["columns"]
        # Compared as staging compares them: the normalised value against the seed's raw_type as written.
        known = type_map.loc[type_map["source_system"] == source, "raw_type"].tolist()
        known += type_rule.get("known_elsewhere", [])
        known_sql = "(" + ", ".join(literal(value) for value in known) + ")" if known else "(null)"
        normalised = [f"nullif(regexp_replace(lower(trim({quote(c)})), '\\s+', ' ', 'g'), '')" for c in type_columns]
        is_known = " or ".join(f"coalesce({n} in {known_sql}, false)" for n in normalised)
        if "(none)" in known:
            is_known += " or (" + " and ".join(f"{n} is null" for n in normalised) + ")"
        shown = " || ' / ' || ".join(f"coalesce({quote(c)}, '(blank)')" for c in type_columns)
        add("activity_type_known", type_columns[0], f"type known: {', '.join(type_columns)}",
            f"case when {is_known} then {literal(PASS_MARK)} else {shown} end")

    for reference in (config.get("references") or {}).get(source, {}).get(table, []):
        column = reference["column"]
        keys = " union all ".join(
            f"select trim({quote(target.split('.', 1)[1])}) from "
            f"{quote(node['schema'])}.{quote(target.split('.', 1)[0])}"
            for target in reference["targets"])
        add("reference_resolves", column, f"resolves: {column} -> {', '.join(reference['targets'])}",
            f"case when {blank(column)} then null when trim({quote(column)}) in ({keys}) "
            f"then {literal(PASS_MARK)} else {quote(column)} end")

    frame = fetch_frame(connection, f"select {', '.join(selects)} from {relation}") if selects else pd.DataFrame()
    return Suite(f"input.{source}.{table}.values", f"{source}.{table}", frame, checks)


def input_gate(args: argparse.Namespace) -> list[dict[str, Any]]:
    config = load_config(args.config or GATES_DIR / "input_gate.yml")
    variables = load_vars(args.vars)
    print("input: checking vars and reading the source contracts (dbt run-operation validate_vars)", flush=True)
    run_dbt(["run-operation", "validate_vars"], args)
    sources = enabled_sources(load_manifest(args.dbt_target_path / "manifest.json"), variables)
    check_input_config(config, sources)
    validator = Validator("input", args.docs_dir)
    records: list[dict[str, Any]] = []

    for source, tables in sorted(sources.items()):
        folder = Path(str(variables.get(f"{source}_export_dir", "")))
        folder = folder if folder.is_absolute() else REPO / folder
        for table, node in sorted(tables.items()):
            suite = column_suite(source, node, folder)
            if suite is not None:
                records += report_progress(validator.run(suite), suite)
    if any(not record["success"] for record in records):
        print("input: required columns or objects are missing; the values are not checked "
              "(the landing needs them)", flush=True)
    else:
        print("input: landing the export as the build does (dbt run-operation land_exports)", flush=True)
        run_dbt(["run-operation", "land_exports"], args)
        type_map = pd.read_csv(REPO / "seeds" / "activity_type_map.csv", dtype=str)
        with duckdb.connect(str(args.duckdb_path), read_only=True) as connection:
            for source, tables in sorted(sources.items()):
                for table, node in sorted(tables.items()):
                    suite = value_suite(config, source, node, type_map, connection)
                    if suite.checks:
                        records += report_progress(validator.run(suite), suite)
    finish(validator, args.docs_dir, records)
    return records


# ---------------------------------------------------------------------------------------------------
# Output gate


def mart_rules(manifest: dict[str, Any], config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per public mart: its relation, grains, value sets, count columns and share columns."""
    marts = {}
    for node in manifest["nodes"].values():
        if (node["resource_type"] == "model" and node["original_file_path"].startswith(config["mart_path"])
                and node["config"].get("contract", {}).get("enforced")):
            columns = node["columns"]
            grains = [[name] for name, column in columns.items()
                      if any(c["type"] == "primary_key" for c in column.get("constraints", []))]
            marts[node["unique_id"]] = {
                "name": node["name"], "relation": f"{quote(node['schema'])}.{quote(node['alias'])}",
                "schema": node["schema"], "grains": grains, "sets": {}, "columns": columns,
            }
    for node in manifest["nodes"].values():
        mart = marts.get(node.get("attached_node") or "")
        meta = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or mart is None:
            continue
        kwargs = meta.get("kwargs", {})
        if meta.get("name") == "unique_combination":
            grain = list(kwargs["columns"])
        elif meta.get("name") == "unique":
            grain = [kwargs["column_name"]]
        elif meta.get("name") == "accepted_values":
            mart["sets"][kwargs["column_name"]] = list(kwargs["values"])
            continue
        else:
            continue
        if grain not in mart["grains"]:
            mart["grains"].append(grain)
    return {mart["name"]: mart for mart in marts.values()}


def mart_suite(config: dict[str, Any], mart: dict[str, Any], connection: duckdb.DuckDBPyConnection) -> Suite:
    selects: list[str] = []
    checks: list[Check] = []
    name = mart["name"]
    for grain in mart["grains"]:
        label = f"unique: {', '.join(grain)}"
        keys = ", ".join(quote(column) for column in grain)
        shown = " || ' | ' || ".join(f"coalesce(cast({quote(c)} as varchar), '(null)')" for c in grain)
        selects.append(f"case when count(*) over (partition by {keys}) > 1 then {shown} "
                       f"else {literal(PASS_MARK)} end as {quote(label)}")
        checks.append(Check("grain unique", label, passes(label, 1.0, check="grain unique"), 1.0))
    patterns = {key.split(".", 1)[1]: regex for key, regex in (config.get("value_patterns") or {}).items()
                if key.split(".", 1)[0] == name}
    for column, values in sorted(mart["sets"].items()):
        selects.append(f"cast({quote(column)} as varchar) as {quote('in set: ' + column)}")
        checks.append(Check("status in set", "in set: " + column, gx.expectations.ExpectColumnValuesToBeInSet(
            column="in set: " + column, value_set=values, meta={"check": "status in set"}), 1.0))
    for column, regex in sorted(patterns.items()):
        selects.append(f"cast({quote(column)} as varchar) as {quote('pattern: ' + column)}")
        checks.append(Check("value matches pattern", "pattern: " + column,
                            gx.expectations.ExpectColumnValuesToMatchRegex(
                                column="pattern: " + column, regex=regex, meta={"check": "value matches pattern"}),
                            1.0))
    share_pattern = re.compile(config["share_column_pattern"])
    share_types = tuple(config["share_types"])
    not_shares = config.get("not_shares") or {}
    not_counts = config.get("not_counts") or {}
    for column, spec in mart["columns"].items():
        data_type = (spec.get("data_type") or "").lower()
        if data_type in config["count_types"] and column not in not_counts:
            kind, label, bounds = "count non-negative", f"count >= 0: {column}", {"min_value": 0}
        elif data_type.startswith(share_types) and share_pattern.search(column) and column not in not_shares:
            kind, label, bounds = "share within [0, 1]", f"share in [0, 1]: {column}", {"min_value": 0, "max_value": 1}
        else:
            continue
        selects.append(f"cast({quote(column)} as double) as {quote(label)}")
        checks.append(Check(kind, label, gx.expectations.ExpectColumnValuesToBeBetween(
            column=label, meta={"check": kind}, **bounds), 1.0))
    sql = f"select {', '.join(selects)} from {mart['relation']}"
    frame = fetch_frame(connection, sql) if selects else pd.DataFrame()
    return Suite(f"output.{name}", name, frame, checks)


def coverage_suite(rule: dict[str, Any], mart: dict[str, Any], connection: duckdb.DuckDBPyConnection) -> Suite:
    """Rows `rule['expected']` returns that the mart lacks are named in the summary."""
    keys = rule["key"]
    on = " and ".join(f"expected.{quote(k)} is not distinct from present.{quote(k)}" for k in keys)
    shown = " || ' @ ' || ".join(f"cast(expected.{quote(k)} as varchar)" for k in keys)
    label = f"present in {mart['name']}: {', '.join(keys)}"
    sql = (f"select case when present.is_present then {literal(PASS_MARK)} else {shown} end as {quote(label)} "
           f"from ({rule['expected']}) as expected left join "
           f"(select distinct {', '.join(quote(k) for k in keys)}, true as is_present from {mart['relation']}) "
           f"as present on {on}")
    frame = fetch_frame(connection, sql)
    check = Check("rows present", label, passes(label, 1.0, check="rows present", rule=rule["name"]), 1.0)
    return Suite(f"output.{mart['name']}.coverage", mart["name"], frame, [check], note=rule["name"])


def output_gate(args: argparse.Namespace) -> list[dict[str, Any]]:
    config = load_config(args.config or GATES_DIR / "output_gate.yml")
    manifest_path = args.manifest
    if not manifest_path.is_file():
        print(f"output: no manifest at {manifest_path}; reading the marts' YAML (dbt parse)", flush=True)
        run_dbt(["parse"], args)
        manifest_path = args.dbt_target_path / "manifest.json"
    marts = mart_rules(load_manifest(manifest_path), config)
    if not args.duckdb_path.is_file():
        raise GateError(f"no DuckDB file at {args.duckdb_path}: build the marts first (dbt build) "
                        "or point --duckdb-path / SALES_ACTIVITY_DUCKDB_PATH at the build's file")
    for key in config.get("value_patterns") or {}:
        mart_name, _, column = key.partition(".")
        if column not in marts.get(mart_name, {}).get("columns", {}):
            raise GateError(f"gates/output_gate.yml value_patterns: {key} is not a column of a public mart")
    for rule in config.get("coverage") or []:
        if rule["mart"] not in marts:
            raise GateError(f"gates/output_gate.yml coverage '{rule['name']}': {rule['mart']} is not a public mart")
    validator = Validator("output", args.docs_dir)
    records: list[dict[str, Any]] = []
    with duckdb.connect(str(args.duckdb_path), read_only=True) as connection:
        schemas = sorted({mart["schema"] for mart in marts.values()})
        connection.execute("set search_path = " + literal(",".join(schemas)))
        for name in sorted(marts):
            try:
                suite = mart_suite(config, marts[name], connection)
            except duckdb.CatalogException as error:
                raise GateError(f"mart {name} is not in {args.duckdb_path} ({error}); run dbt build first") from None
            if suite.checks:
                records += report_progress(validator.run(suite), suite)
        for rule in config.get("coverage") or []:
            suite = coverage_suite(rule, marts[rule["mart"]], connection)
            records += report_progress(validator.run(suite), suite)
    finish(validator, args.docs_dir, records)
    return records


# ---------------------------------------------------------------------------------------------------
# Reporting


def report_progress(records: list[dict[str, Any]], suite: Suite) -> list[dict[str, Any]]:
    failed = sum(not record["success"] for record in records)
    state = f"{failed} FAILED" if failed else "ok"
    print(f"{records[0]['gate'] if records else ''}: {suite.name} ({len(suite.frame)} rows, "
          f"{len(records)} expectations): {state} [{time.monotonic() - STARTED:.1f}s]", flush=True)
    return records


def finish(validator: Validator, docs_dir: Path, records: list[dict[str, Any]]) -> None:
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / f"{validator.gate}_gate.json").write_text(json.dumps(records, indent=1), encoding="utf-8")
    validator.build_docs()
    render_summary(docs_dir)


def render_summary(docs_dir: Path) -> Path:
    """One self-contained page (inline CSS, no script, no external URL) over every gate's last run."""
    sections = []
    for gate in ("input", "output"):
        path = docs_dir / f"{gate}_gate.json"
        if not path.is_file():
            continue
        records = json.loads(path.read_text(encoding="utf-8"))
        failed = sum(not record["success"] for record in records)
        rows = "".join(
            f"<tr class={'pass' if r['success'] else 'fail'}><td>{html.escape(r['suite'])}</td>"
            f"<td>{html.escape(r['check'])}</td><td>{html.escape(r['column'])}</td>"
            f"<td>{html.escape(r['expectation'])}</td><td>{'pass' if r['success'] else 'FAIL'}</td>"
            f"<td>{html.escape(r['observed'])}</td>"
            f"<td>{'' if r['threshold'] is None else r['threshold']}</td>"
            f"<td>{html.escape(', '.join(r['samples']))}</td></tr>"
            for r in records)
        ran = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(path.stat().st_mtime))
        sections.append(
            f"<h2>{gate} gate: {'FAILED' if failed else 'passed'} ({len(records)} expectations, {failed} failed)</h2>"
            f"<p>Last run {ran}.</p>"
            f"<p>Great Expectations' own Data Docs (need a network for their styling): "
            f"<a href=\"gx/{gate}/index.html\">gx/{gate}/index.html</a></p>"
            "<table><tr><th>suite</th><th>check</th><th>column</th><th>expectation</th><th>result</th>"
            f"<th>observed share / value</th><th>threshold</th><th>sample bad values</th></tr>{rows}</table>")
    page = (
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Data gates</title><style>"
        "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%;"
        "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
        "th{background:#eee}tr.fail td{background:#fde2e2}tr.pass td:nth-child(5){color:#176b2c}"
        "</style></head><body><h1>Data gates</h1>"
        "<p>Input gate: the raw export before staging. Output gate: the public marts after the build. "
        "Thresholds: gates/input_gate.yml and gates/output_gate.yml.</p>"
        + ("".join(sections) or "<p>No gate has run yet.</p>") + "</body></html>")
    index = docs_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def print_summary(records: list[dict[str, Any]], docs_dir: Path) -> bool:
    failures = [record for record in records if not record["success"]]
    gate = records[0]["gate"] if records else "gate"
    for record in failures:
        threshold = "" if record["threshold"] is None else f" (threshold {record['threshold']})"
        samples = f"; bad values e.g. {', '.join(repr(s) for s in record['samples'])}" if record["samples"] else ""
        note = f"; {record['note']}" if record["note"] and record["check"].startswith("required") else ""
        print(f"FAILED {record['object']}: {record['check']} — {record['expectation']} on '{record['column']}': "
              f"observed {record['observed']}{threshold}{samples}{note}")
    print(f"{gate} gate: {'FAILED' if failures else 'passed'}: {len(records) - len(failures)} of {len(records)} "
          f"expectations met. Summary: {docs_dir / 'index.html'}")
    return not failures


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gate", choices=["input", "output"],
                        help="input: the raw export before staging; output: the public marts after dbt build")
    parser.add_argument("--duckdb-path", type=Path,
                        help="DuckDB file of the build (default: $SALES_ACTIVITY_DUCKDB_PATH, else "
                             "target/sales_activity.duckdb, as in profiles.yml)")
    parser.add_argument("--vars", help="dbt vars as YAML/JSON, as given to dbt (e.g. the export folder: "
                                       "'{salesforce_export_dir: data/demo/salesforce}')")
    parser.add_argument("--config", type=Path, help="gate configuration (default gates/<gate>_gate.yml)")
    parser.add_argument("--docs-dir", type=Path,
                        help="where Data Docs and the offline summary index.html go (default target/data_docs)")
    parser.add_argument("--dbt-target-path", type=Path,
                        help="dbt target folder of the gate's own dbt commands (default target/gates)")
    parser.add_argument("--manifest", type=Path,
                        help="output gate: manifest.json of the build (default target/manifest.json; "
                             "dbt parse into --dbt-target-path when absent)")
    args = parser.parse_args(argv)
    # Paths given on the command line are taken from the caller's folder; the defaults (like
    # profiles.yml's) from the project's, where dbt resolves them.
    defaults = {
        "duckdb_path": os.environ.get("SALES_ACTIVITY_DUCKDB_PATH", "target/sales_activity.duckdb"),
        "docs_dir": "target/data_docs", "dbt_target_path": "target/gates", "manifest": "target/manifest.json",
    }
    for name in ("duckdb_path", "config", "docs_dir", "dbt_target_path", "manifest"):
        value = getattr(args, name)
        if value is not None:
            setattr(args, name, value.resolve())
        elif name in defaults:
            setattr(args, name, REPO / defaults[name])
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # The landing writes export paths relative to the project into its views, as dbt does.
    os.chdir(REPO)
    try:
        records = input_gate(args) if args.gate == "input" else output_gate(args)
    except GateError as error:
        print(f"{args.gate} gate: cannot run: {error}", file=sys.stderr)
        return 2
    except (duckdb.Error, OSError, yaml.YAMLError, KeyError) as error:
        # A configuration entry or SQL in gates/*.yml that does not fit the data: say which, briefly.
        print(f"{args.gate} gate: cannot run: {type(error).__name__}: {error}. Check gates/{args.gate}_gate.yml "
              "and the --duckdb-path / --vars given.", file=sys.stderr)
        return 2
    return 0 if print_summary(records, args.docs_dir) else 1


if __name__ == "__main__":
    sys.exit(main())
