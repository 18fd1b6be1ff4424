"""scripts/engine_parity.py: the mart comparison that decides engine parity, its report and its
refusals. The engines themselves run in `make test-engines`."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import engine_parity  # noqa: E402

REFERENCE_ROWS = [
    ("A1", "2026-03-01", 3, 0.5, "green", True),
    ("A2", "2026-03-01", 0, None, "red", False),
    ("A3", "2026-03-01", 1, 1 / 3, "", None),
]
COLUMNS = "account_id varchar, period_start date, touches bigint, share double, status varchar, is_owned boolean"


def mart_file(path: Path, rows, columns: str = COLUMNS, as_text: bool = False) -> Path:
    """A DuckDB file with one mart `account_health`; as_text stores every value as text (PostgreSQL's CSV)."""
    with duckdb.connect(str(path)) as connection:
        if as_text:
            names = [column.split()[0] for column in columns.split(", ")]
            columns = ", ".join(f"{name} varchar" for name in names)
            rows = [tuple(None if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
                          for value in row) for row in rows]
        connection.execute(f"create table account_health ({columns})")
        if rows:
            placeholders = ", ".join("?" for _ in rows[0])
            connection.executemany(f"insert into account_health values ({placeholders})", rows)
    return path


def compare(tmp_path: Path, engine_rows, columns: str = COLUMNS, as_text: bool = False,
            tolerance: float = 1e-9) -> str:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    reference = mart_file(folder / "ref.duckdb", REFERENCE_ROWS)
    engine = mart_file(folder / "eng.duckdb", engine_rows, columns, as_text)
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(f"attach '{reference}' as ref (read_only)")
        connection.execute(f"attach '{engine}' as eng (read_only)")
        return engine_parity.compare_mart(connection, "account_health", tolerance)


def test_identical_rows_in_another_order_match(tmp_path):
    assert compare(tmp_path, list(reversed(REFERENCE_ROWS))) == "ok"


def test_postgres_text_values_are_read_in_duckdbs_types(tmp_path):
    assert compare(tmp_path, REFERENCE_ROWS, as_text=True) == "ok"


def test_floats_within_the_tolerance_match_and_beyond_it_differ(tmp_path):
    close = [REFERENCE_ROWS[0], REFERENCE_ROWS[1], ("A3", "2026-03-01", 1, 1 / 3 + 1e-12, "", None)]
    assert compare(tmp_path, close) == "ok"
    far = [REFERENCE_ROWS[0], REFERENCE_ROWS[1], ("A3", "2026-03-01", 1, 0.3334, "", None)]
    assert compare(tmp_path, far) == (
        "3 rows on DuckDB, 3 on the engine: 0 only on DuckDB, 0 only on the engine, "
        "1 with floating-point values beyond the tolerance")


def test_a_value_against_a_null_differs(tmp_path):
    rows = [REFERENCE_ROWS[0], ("A2", "2026-03-01", 0, 0.0, "red", False), REFERENCE_ROWS[2]]
    assert "1 with floating-point values beyond the tolerance" in compare(tmp_path, rows)


def test_an_empty_text_is_not_a_null(tmp_path):
    rows = [REFERENCE_ROWS[0], REFERENCE_ROWS[1], ("A3", "2026-03-01", 1, 1 / 3, None, None)]
    assert compare(tmp_path, rows) == ("3 rows on DuckDB, 3 on the engine: 1 only on DuckDB, "
                                       "1 only on the engine, 0 with floating-point values beyond the tolerance")


def test_a_missing_row_and_a_changed_count_are_found(tmp_path):
    assert "2 on the engine: 1 only on DuckDB, 0 only on the engine" in compare(tmp_path, REFERENCE_ROWS[:2])
    changed = [("A1", "2026-03-01", 4, 0.5, "green", True)] + REFERENCE_ROWS[1:]
    assert "1 only on DuckDB, 1 only on the engine" in compare(tmp_path, changed)


def test_duplicate_rows_must_match_in_number(tmp_path):
    assert "1 only on the engine" in compare(tmp_path, REFERENCE_ROWS + [REFERENCE_ROWS[0]])


def test_columns_must_be_the_same(tmp_path):
    columns = COLUMNS.replace("is_owned boolean", "is_owner boolean")
    assert compare(tmp_path, REFERENCE_ROWS, columns) == (
        "columns differ: only on DuckDB ['is_owned'], only on the engine ['is_owner']")


def test_report_counts_identical_marts_and_names_failures():
    passed = engine_parity.EngineRun("postgres", {"dbt build": 61.25}, {"a": "ok", "b": "ok"})
    failed = engine_parity.EngineRun("spark", {"load": 40.0}, {}, "spark: dbt build failed (exit 1); log x\ndetail")
    table = engine_parity.report([passed, failed], ["a", "b"])
    assert "| postgres | – | – | – | 61.2 s | – | – | 2 of 2 |" in table
    assert "| spark | – | 40.0 s | – | – | – | – | 0 of 2 |" in table
    assert "- spark: spark: dbt build failed (exit 1); log x" in table
    assert passed.passed and not failed.passed


def test_a_failing_step_names_its_log(tmp_path):
    run = engine_parity.EngineRun("postgres")
    with pytest.raises(engine_parity.ParityError, match=r"postgres: load failed \(exit 3\); log .*load.log:\nboom"):
        engine_parity.run_step(run, "load", [sys.executable, "-c", "print('boom'); raise SystemExit(3)"],
                               {}, tmp_path / "load.log")
    assert run.seconds["load"] > 0


def test_refusals_name_the_problem(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        engine_parity.main(["--engines", "postgres,oracle"])
    assert exited.value.code == 2 and "--engines takes a comma-separated list" in capsys.readouterr().err
    assert engine_parity.main(["--reference", str(tmp_path / "none.duckdb")]) == 1
    assert "run `make build` first" in capsys.readouterr().err


def test_unit_test_names_fit_postgres_identifiers():
    """dbt names a unit test's relation after the test; PostgreSQL refuses names over 63 characters."""
    too_long = []
    for path in (REPO / "models").rglob("*.yml"):
        for unit_test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", []):
            if len(unit_test["name"]) > 63:
                too_long.append(f"{path.relative_to(REPO)}: {unit_test['name']}")
    assert not too_long
