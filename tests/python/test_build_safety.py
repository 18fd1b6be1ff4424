"""A green build can be trusted, and BI readers never see a half-built one (real processes).

- Idempotency: building the same export with the same vars again in place gives marts identical
  row for row to the build from scratch (a digest of each mart's sorted rows, computed here), and
  publishing them gives the same publication.
- Crash safety: a build killed with SIGKILL after some marts were rebuilt leaves the working file
  marked unfinished, publishing it is refused, the published file is untouched, and the rerun
  gives the clean build's marts.
- Readers: four processes query every published mart in a loop while a build of other vars is
  published, a build is killed and the rerun is published; none fails, and every read sees each
  mart exactly as its publication recorded it.
- A red dbt command (a failing test) is not published.
- Commands that only compile the project (`dbt compile`, `dbt docs generate`) leave the build state
  of the last build as it was, so it can still be published.

The tests share one working folder, built from scratch and published once; each test leaves it
holding that clean build, published, so they run in any order.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, dbt_invocation, run_dbt

MODELS_ONLY = ("--exclude", "resource_type:test", "resource_type:unit_test")
EARLIER = {"as_of_date": "2026-08-31"}        # a second, different build of the same export
READERS = 4
PUBLISH = [sys.executable, str(REPO / "scripts" / "publish_marts.py")]

# A BI reader: open the published file read-only, check each mart against the publication record
# written beside it, close; repeat until told to stop; print what it saw as JSON.
READER = r"""
import json, sys, time, duckdb
published, stop_file = sys.argv[1], sys.argv[2]
seen = {"reads": 0, "failures": [], "mismatches": [], "publications": []}
while True:
    stopping = __import__("os").path.exists(stop_file)
    try:
        with duckdb.connect(published, read_only=True) as connection:
            record = connection.sql(
                "select publication_id, mart, content_hash from _publication").fetchall()
            for publication_id, mart, content_hash in record:
                rows, hash_sum = connection.sql(
                    f'select count(*), coalesce(sum(hash(t)), 0) from "{mart}" as t').fetchone()
                if f"{rows}:{hash_sum}" != content_hash:
                    seen["mismatches"].append(f"{publication_id} {mart}")
        if record[0][0] not in seen["publications"]:
            seen["publications"].append(record[0][0])
        seen["reads"] += 1
    except Exception as error:
        seen["failures"].append(repr(error))
    if stopping:
        break
    time.sleep(0.05)
print(json.dumps(seen))
"""


def marts(workdir: Path) -> list[str]:
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    return sorted(node["name"] for node in manifest["nodes"].values()
                  if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/"))


def mart_digests(workdir: Path) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the sorted rows of every mart (exact values, floats included)."""
    digests = {}
    with duckdb.connect(str(workdir / "sales_activity.duckdb"), read_only=True) as connection:
        for mart in marts(workdir):
            rows = sorted(repr(row) for row in connection.sql(f'select * from "{mart}"').fetchall())
            digests[mart] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digests


def build(workdir: Path, export: Path, extra_vars: dict | None = None) -> None:
    result = run_dbt(workdir, export, "build", extra_vars, MODELS_ONLY)
    assert result.returncode == 0, result.output[-3000:]


def publish(workdir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*PUBLISH, "--database", str(workdir / "sales_activity.duckdb"),
         "--target-path", str(workdir / "target"), "--output", str(workdir / "published.duckdb")],
        cwd=REPO, capture_output=True, text=True, check=False)


def publication_id(workdir: Path) -> str:
    with duckdb.connect(str(workdir / "published.duckdb"), read_only=True) as connection:
        return connection.sql("select distinct publication_id from _publication").fetchone()[0]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    subprocess.run([sys.executable, str(REPO / "scripts" / "generate_demo_data.py"), "--out", str(folder),
                    "--activities", "3000", "--no-gzip", "--quiet"], check=True)
    return folder


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, export) -> Path:
    folder = tmp_path_factory.mktemp("build")
    build(folder, export)
    assert publish(folder).returncode == 0
    return folder


@pytest.fixture(scope="module")
def clean_build(workdir) -> dict[str, tuple[int, str]]:
    return mart_digests(workdir)


def test_rebuilding_the_same_input_in_place_gives_identical_marts_and_publication(workdir, export, clean_build):
    assert clean_build["account_health"][0] > 0 and clean_build["fct_activities"][0] > 0
    first_publication = publication_id(workdir)
    build(workdir, export)
    assert mart_digests(workdir) == clean_build
    assert publish(workdir).returncode == 0
    assert publication_id(workdir) == first_publication


def start_readers(workdir: Path) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", READER, str(workdir / "published.duckdb"),
                              str(workdir / "stop-readers")], stdout=subprocess.PIPE, text=True)
            for _ in range(READERS)]


def stop_readers(workdir: Path, readers: list[subprocess.Popen]) -> list[dict]:
    (workdir / "stop-readers").touch()
    try:
        return [json.loads(reader.communicate(timeout=120)[0]) for reader in readers]
    finally:
        (workdir / "stop-readers").unlink()


def kill_among_the_marts(workdir: Path, export: Path) -> list[str]:
    """Start a build and SIGKILL it once the first mart is rebuilt; the marts rebuilt by then."""
    all_marts = marts(workdir)
    argv, env = dbt_invocation(workdir, export, "build", None, MODELS_ONLY)
    process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    rebuilt = []
    for line in process.stdout:
        rebuilt += [mart for mart in all_marts if f"OK created sql table model main.{mart} " in line]
        if rebuilt:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the build ended before any mart was rebuilt"
    assert 0 < len(rebuilt) < len(all_marts)
    return rebuilt


def test_readers_never_fail_nor_see_two_builds_while_a_build_is_killed_and_rebuilt(workdir, export, clean_build):
    readers = start_readers(workdir)
    try:
        # Other vars first, published, so the marts the killed build did not reach differ from
        # those it did: the working file then mixes two builds.
        build(workdir, export, EARLIER)
        assert publish(workdir).returncode == 0
        published_before = (workdir / "published.duckdb").read_bytes()

        kill_among_the_marts(workdir, export)
        refused = publish(workdir)
        assert refused.returncode == 1
        assert "did not finish" in refused.stderr and "Traceback" not in refused.stderr
        assert (workdir / "published.duckdb").read_bytes() == published_before

        build(workdir, export)
        assert mart_digests(workdir) == clean_build
        assert publish(workdir).returncode == 0
        time.sleep(1)
    finally:
        seen = stop_readers(workdir, readers)

    reads = sum(reader["reads"] for reader in seen)
    print(f"\n{READERS} readers: {reads} reads of every mart while 2 builds were published and 1 killed, "
          f"{sum(len(reader['failures']) for reader in seen)} failures, "
          f"{sum(len(reader['mismatches']) for reader in seen)} mixed reads")
    for reader in seen:
        assert reader["failures"] == [] and reader["mismatches"] == []
        assert reader["reads"] > 0
    # The readers saw the clean build, the other-vars build, then the clean one again.
    assert len({publication for reader in seen for publication in reader["publications"]}) == 2
    assert any(len(reader["publications"]) == 2 for reader in seen)


def test_a_red_dbt_command_is_not_published(workdir, export, clean_build):
    published_before = (workdir / "published.duckdb").read_bytes()
    # A duplicated account-month makes the mart's grain test fail: the command finishes red.
    with duckdb.connect(str(workdir / "sales_activity.duckdb")) as connection:
        connection.execute("insert into account_health select * from account_health limit 1")
    try:
        failing = run_dbt(workdir, export, "test", None, ("--select", "account_health", "--exclude", "test_type:unit"))
        assert failing.returncode != 0, failing.output[-3000:]
        refused = publish(workdir)
        assert refused.returncode == 1
        assert "failed node(s)" in refused.stderr and "Traceback" not in refused.stderr
        assert (workdir / "published.duckdb").read_bytes() == published_before
    finally:
        restored = run_dbt(workdir, export, "build", None, ("--select", "account_health", *MODELS_ONLY))
    assert restored.returncode == 0, restored.output[-3000:]
    assert mart_digests(workdir) == clean_build


def build_state(workdir: Path) -> tuple:
    with duckdb.connect(str(workdir / "sales_activity.duckdb"), read_only=True) as connection:
        return connection.sql("select * from _build_state").fetchone()


@pytest.mark.parametrize("command", [("compile",), ("docs", "generate")])
def test_compiling_leaves_the_build_state_of_the_last_build(workdir, export, clean_build, command):
    state = build_state(workdir)
    assert state[1:] == ("build", "finished", 0)
    argv, env = dbt_invocation(workdir, export, command[0], None, ())
    argv[2:2] = command[1:]                       # the subcommand goes before the options
    result = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert build_state(workdir) == state
    assert publish(workdir).returncode == 0
