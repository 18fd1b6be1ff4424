"""The engine infrastructure: a throw-away PostgreSQL server (scripts/engines.py) and the export loader
(scripts/load_export.py) land the same raw rows as DuckDB's own landing, and refuse the same bad inputs.

The PostgreSQL tests need Debian's PostgreSQL (installed by engines.py with apt-get when missing) and
are skipped, with the reason, only where that is impossible. The Spark smoke test runs only when the
Spark venv exists (`make engines-venv`): it starts a JVM (about 15 s).
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, run_dbt, write_csv

ENGINES = [sys.executable, str(REPO / "scripts" / "engines.py")]
LOADER = [sys.executable, str(REPO / "scripts" / "load_export.py")]
SPARK_VENV = REPO / ".venv-spark"


def postgres_unavailable() -> str | None:
    """Why a PostgreSQL server cannot be started here, or None."""
    if list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return None
    if shutil.which("apt-get") and os.geteuid() == 0:
        return None
    return "PostgreSQL is not installed and apt-get as root is not available to install it"


@pytest.fixture(scope="module")
def postgres():
    """A running server's environment (SALES_ACTIVITY_PG_PORT set); stopped and removed afterwards."""
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    pytest.importorskip("psycopg2", reason="psycopg2 comes with requirements-postgres.txt")
    # Under /tmp rather than pytest's tmp_path: the `postgres` account must be able to enter it.
    folder = Path(tempfile.mkdtemp(prefix="sales_activity_pg_")) / "server"
    folder.parent.chmod(0o755)
    try:
        started = subprocess.run([*ENGINES, "start-postgres", "--dir", str(folder)],
                                 capture_output=True, text=True, check=False)
        assert started.returncode == 0, started.stderr
        port = started.stdout.strip().rsplit("=", 1)[1]
        yield {**os.environ, "SALES_ACTIVITY_PG_PORT": port}
    finally:
        stopped = subprocess.run([*ENGINES, "stop-postgres", "--dir", str(folder)],
                                 capture_output=True, text=True, check=False)
        shutil.rmtree(folder.parent, ignore_errors=True)
    assert stopped.returncode == 0, stopped.stderr
    assert not folder.exists()


def query(env: dict, sql: str) -> list[tuple]:
    import psycopg2

    with psycopg2.connect(host="127.0.0.1", port=int(env["SALES_ACTIVITY_PG_PORT"]), user="postgres",
                          dbname="postgres") as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def load(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*LOADER, *args, "--engine", "postgres"], cwd=REPO, env=env,
                          capture_output=True, text=True, check=False)


def test_postgres_loads_the_same_raw_rows_as_duckdb(postgres, handwritten_export, tmp_path):
    loaded = load(postgres, str(handwritten_export))
    assert loaded.returncode == 0, loaded.stderr
    assert "warning: salesforce export: no file for optional object(s) quota" in loaded.stderr

    # DuckDB's landing of the same folder: the views the on-run-start hook creates.
    built = run_dbt(tmp_path, handwritten_export, command="run", args=("--select", "base_salesforce__users"))
    assert built.returncode == 0, built.output[-3000:]
    objects = [name for (name,) in built.query(
        "select table_name from information_schema.tables where table_schema = 'raw_salesforce' order by 1")]
    assert "account" in objects and "quota" in objects
    for name in objects:
        duckdb_rows = built.query(f'select * exclude (_source_file) from raw_salesforce."{name}" order by '
                                  "_source_row_number")
        postgres_rows = query(postgres, f'select * from raw_salesforce."{name}" order by _source_row_number')
        # Same rows and values in the same columns (the file path differs: it is as each was given).
        assert [row[:-2] + row[-1:] for row in postgres_rows] == duckdb_rows, name
    assert query(postgres, "select count(*) from raw_salesforce.task") == [(10,)]
    columns = query(postgres, "select column_name, data_type from information_schema.columns where "
                              "table_schema = 'raw_salesforce' and table_name = 'account' order by ordinal_position")
    assert columns[0] == ("id", "text") and columns[-1] == ("_source_row_number", "bigint")


def test_a_crm_that_is_off_lands_its_contract_empty(postgres):
    loaded = load(postgres, "--source", "hubspot", "--empty")
    assert loaded.returncode == 0, loaded.stderr
    import yaml

    contract = yaml.safe_load((REPO / "models/staging/hubspot/_hubspot__sources.yml").read_text())
    tables = {table["name"]: len(table["columns"]) for table in contract["sources"][0]["tables"]}
    landed = dict(query(postgres, "select table_name, count(*) from information_schema.columns "
                                  "where table_schema = 'raw_hubspot' group by table_name"))
    # Every object of the contract, with its columns plus the two lineage columns, and no row.
    assert landed == {name: columns + 2 for name, columns in tables.items()}
    assert query(postgres, "select count(*) from raw_hubspot.deal") == [(0,)]


def test_a_missing_required_column_stops_the_load_with_the_landing_message(postgres, handwritten_export, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(handwritten_export, export)
    with (export / "account.csv").open(newline="", encoding="utf-8") as handle:
        header, *rows = csv.reader(handle)
    owner = header.index("OwnerId")
    write_csv(export, "account", header[:owner] + header[owner + 1:],
              [row[:owner] + row[owner + 1:] for row in rows])

    before = query(postgres, "select count(*) from raw_salesforce.account")
    refused = load(postgres, str(export))
    assert refused.returncode == 1
    assert f"salesforce export: file '{export}/account.csv' is missing required column(s) owner_id." \
        in refused.stderr
    assert "Traceback" not in refused.stderr
    # Checked before anything is written: the previous load is untouched.
    assert query(postgres, "select count(*) from raw_salesforce.account") == before

    shutil.copy(handwritten_export / "account.csv", export / "account.csv")
    shutil.copy(export / "user.csv", export / "user.parquet")
    ambiguous = load(postgres, str(export))
    assert ambiguous.returncode == 1
    assert (f"salesforce export: object 'user' has several files ({export}/user.csv, {export}/user.parquet). "
            "Keep exactly one file per object.") in ambiguous.stderr

    missing_folder = load(postgres, str(tmp_path / "nowhere"))
    assert missing_folder.returncode == 1
    assert f"salesforce export: folder '{tmp_path / 'nowhere'}' does not exist or holds no file." \
        in missing_folder.stderr


def test_stop_is_idempotent_and_start_refuses_an_unreachable_folder(tmp_path):
    folder = tmp_path / "never_started"
    stopped = subprocess.run([*ENGINES, "stop-postgres", "--dir", str(folder)],
                             capture_output=True, text=True, check=False)
    assert stopped.returncode == 0 and "nothing to stop" in stopped.stderr
    if os.geteuid() == 0 and not postgres_unavailable():
        # pytest's tmp_path sits in a folder only root may enter.
        refused = subprocess.run([*ENGINES, "start-postgres", "--no-install", "--dir", str(folder)],
                                 capture_output=True, text=True, check=False)
        assert refused.returncode == 1
        assert "cannot enter" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.skipif(not (SPARK_VENV / "bin" / "dbt").exists(),
                    reason="no Spark venv (.venv-spark): `make engines-venv` creates it")
def test_the_spark_target_connects(tmp_path):
    checked = subprocess.run([*ENGINES, "spark-check", "--scratch", str(tmp_path)],
                             capture_output=True, text=True, check=False, timeout=600)
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "Spark target works" in checked.stderr
