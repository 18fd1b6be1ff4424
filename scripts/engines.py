#!/usr/bin/env python3
"""Throw-away local engines for building the project on PostgreSQL and Spark.

start-postgres  Initialise and start a PostgreSQL server from Debian's packages (installed with
                apt-get when missing) in a folder of its own (default target/engines/postgres):
                listening only on 127.0.0.1 on a spare port, trust authentication (local test use
                only), no durability settings (fsync off). The pid and port go to a state file
                (state.json) so stop-postgres can stop the server even after a failed run. Starting
                a server that already runs prints its port and does nothing else.
stop-postgres   Stop the server of the state file (pg_ctl, else by pid) and remove its folder.
                Does nothing, successfully, when no server runs.
status          Print the pid and port of the running server, or that none runs.
spark-check     Check the Spark venv (.venv-spark, `make engines-venv`) runs `dbt debug --target spark`
                (a JVM start, about 15 s).

After start-postgres, point dbt and scripts/load_export.py at the server with the line it prints:
    export SALES_ACTIVITY_PG_PORT=<port>

Examples:
    python scripts/engines.py start-postgres
    python scripts/engines.py start-postgres --dir /tmp/pg      # a second, independent server
    python scripts/engines.py stop-postgres --dir /tmp/pg
    python scripts/engines.py spark-check
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES_DIR = REPO / "target" / "engines" / "postgres"
POSTGRES_VERSION = "15"
SERVICE_USER = "postgres"
SPARK_VENV = REPO / ".venv-spark"


class EngineError(Exception):
    """A problem the user can fix; its message says what to do."""


def progress(message: str) -> None:
    print(f"[engines] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------- PostgreSQL

def postgres_bin_dir(install: bool) -> Path:
    """Debian's PostgreSQL binaries (version 15 preferred), installed with apt-get when missing."""
    def found() -> Path | None:
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                            key=lambda path: (Path(path).parts[-3] != POSTGRES_VERSION, path))
        return Path(candidates[0]).parent if candidates else None

    bin_dir = found()
    if bin_dir is None and install:
        if shutil.which("apt-get") is None or os.geteuid() != 0:
            raise EngineError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and cannot be "
                              "installed here (needs apt-get as root). Install Debian's `postgresql` package.")
        progress("PostgreSQL is not installed: apt-get install postgresql (about a minute)")
        for argv in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "postgresql"]):
            completed = subprocess.run(argv, capture_output=True, text=True, check=False,
                                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            if completed.returncode != 0:
                raise EngineError(f"`{' '.join(argv)}` failed:\n{completed.stdout[-2000:]}{completed.stderr[-2000:]}")
        bin_dir = found()
    if bin_dir is None:
        raise EngineError("PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb.")
    return bin_dir


def as_service_user(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: root runs it as the `postgres` account Debian creates."""
    return ["runuser", "-u", SERVICE_USER, "--", *argv] if os.geteuid() == 0 else argv


def spare_port() -> int:
    """A port nothing listens on now: the kernel picks it for a socket bound to port 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    # A stopped server whose parent never reaps it (a container's init) lingers as a zombie.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def read_state(folder: Path) -> dict | None:
    state_file = folder / "state.json"
    if not state_file.exists():
        return None
    try:
        return json.loads(state_file.read_text())
    except (OSError, ValueError):
        return None


def write_state(folder: Path, state: dict) -> None:
    temporary = folder / "state.json.tmp"
    temporary.write_text(json.dumps(state, indent=2) + "\n")
    os.replace(temporary, folder / "state.json")


def prepare_folder(folder: Path) -> Path:
    """The server's folder: readable by the service user, its data folder owned by it."""
    folder.mkdir(parents=True, exist_ok=True)
    data_dir = folder / "data"
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVICE_USER)
        for parent in [folder, *folder.parents]:
            if parent.stat().st_mode & 0o001 == 0 and parent.stat().st_uid != account.pw_uid:
                if parent == folder:
                    folder.chmod(0o755)
                else:
                    raise EngineError(f"the `{SERVICE_USER}` account cannot enter {parent} (mode "
                                      f"{oct(parent.stat().st_mode & 0o777)}): choose --dir under a folder "
                                      "every user can enter, e.g. /tmp.")
        data_dir.mkdir(mode=0o700, exist_ok=True)
        os.chown(data_dir, account.pw_uid, account.pw_gid)
        log = folder / "postgres.log"
        log.touch()
        os.chown(log, account.pw_uid, account.pw_gid)
    else:
        data_dir.mkdir(mode=0o700, exist_ok=True)
    return data_dir


def run(argv: list[str], what: str) -> None:
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise EngineError(f"{what} failed (exit {completed.returncode}):\n"
                          f"{completed.stdout[-3000:]}{completed.stderr[-3000:]}")


def start_postgres(folder: Path, install: bool) -> dict:
    started_at = time.monotonic()
    state = read_state(folder)
    if state and pid_alive(state.get("pid") or -1):
        progress(f"PostgreSQL already runs (pid {state['pid']}, port {state['port']}, folder {folder})")
        return state
    bin_dir = postgres_bin_dir(install)
    data_dir = prepare_folder(folder)
    if not (data_dir / "PG_VERSION").exists():
        progress(f"initdb {data_dir} ({bin_dir.parent.name})")
        run(as_service_user([str(bin_dir / "initdb"), "-D", str(data_dir), "-U", SERVICE_USER,
                             "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions"]),
            "initdb")
    port = spare_port()
    # Recorded before the start, so stop-postgres finds the folder even if the start fails half-way.
    state = {"port": port, "pid": None, "data_dir": str(data_dir), "bin_dir": str(bin_dir),
             "log": str(folder / "postgres.log")}
    write_state(folder, state)
    # TCP on 127.0.0.1 only (no Unix socket: its default folder may not exist here); durability off,
    # since the server is thrown away and speed is all that matters for test builds; sessions in UTC,
    # as the DuckDB profile pins them (a timestamp without offset in an export is UTC).
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c TimeZone=UTC")
    progress(f"pg_ctl start on 127.0.0.1:{port}")
    run(as_service_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", state["log"], "-w", "-t", "60",
                         "-o", options, "start"]), f"pg_ctl start (server log: {state['log']})")
    state["pid"] = int((data_dir / "postmaster.pid").read_text().split()[0])
    write_state(folder, state)
    progress(f"PostgreSQL {bin_dir.parent.name} runs: pid {state['pid']}, port {port}, "
             f"started in {time.monotonic() - started_at:.1f} s")
    return state


def stop_postgres(folder: Path, keep_data: bool) -> None:
    state = read_state(folder)
    if state is None:
        progress(f"no PostgreSQL state in {folder}: nothing to stop")
        return
    pid = state.get("pid")
    pg_ctl = Path(state["bin_dir"]) / "pg_ctl"
    if (folder / "data" / "postmaster.pid").exists() and pg_ctl.exists():
        progress(f"pg_ctl stop (port {state['port']})")
        subprocess.run(as_service_user([str(pg_ctl), "-D", state["data_dir"], "-m", "fast", "-w", "-t", "30",
                                        "stop"]), capture_output=True, text=True, check=False)
    if pid and pid_alive(pid):
        progress(f"server pid {pid} still runs: SIGTERM")
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if pid_alive(pid):
            progress(f"server pid {pid} ignored SIGTERM: SIGKILL")
            os.kill(pid, signal.SIGKILL)
    if keep_data:
        (folder / "state.json").unlink(missing_ok=True)
        progress(f"PostgreSQL stopped; data kept in {folder / 'data'}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
        progress(f"PostgreSQL stopped; {folder} removed")


def status_postgres(folder: Path) -> int:
    state = read_state(folder)
    if state and state.get("pid") and pid_alive(state["pid"]):
        print(f"export SALES_ACTIVITY_PG_PORT={state['port']}")
        progress(f"PostgreSQL runs: pid {state['pid']}, port {state['port']}, folder {folder}")
        return 0
    progress(f"no PostgreSQL runs from {folder}")
    return 1


# --------------------------------------------------------------------------------------------- Spark

def spark_check(scratch: Path) -> None:
    dbt = SPARK_VENV / "bin" / "dbt"
    if not dbt.exists():
        raise EngineError(f"{dbt} is missing: create the Spark venv with `make engines-venv`.")
    if shutil.which("java") is None:
        raise EngineError("no `java` on PATH: Spark needs a JDK 17 (Debian: apt-get install openjdk-17-jre-headless).")
    scratch.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DBT_PROFILES_DIR": str(REPO), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "SALES_ACTIVITY_SPARK_DIR": os.environ.get("SALES_ACTIVITY_SPARK_DIR", str(scratch))}
    progress(f"dbt debug --target spark (JVM start, about 15 s; Spark files in {env['SALES_ACTIVITY_SPARK_DIR']})")
    started_at = time.monotonic()
    completed = subprocess.run([str(dbt), "debug", "--target", "spark", "--log-path", str(scratch / "logs")],
                               cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise EngineError(f"dbt debug --target spark failed:\n{completed.stdout[-4000:]}{completed.stderr[-2000:]}")
    progress(f"Spark target works (dbt debug passed in {time.monotonic() - started_at:.0f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    folder_help = f"the server's folder (default {DEFAULT_POSTGRES_DIR.relative_to(REPO)})"
    start = commands.add_parser("start-postgres", help="start a throw-away PostgreSQL server")
    start.add_argument("--dir", type=Path, default=DEFAULT_POSTGRES_DIR, help=folder_help)
    start.add_argument("--no-install", action="store_true", help="fail instead of apt-get installing PostgreSQL")
    stop = commands.add_parser("stop-postgres", help="stop it (by pid if pg_ctl cannot) and remove its folder")
    stop.add_argument("--dir", type=Path, default=DEFAULT_POSTGRES_DIR, help=folder_help)
    stop.add_argument("--keep-data", action="store_true", help="keep the data folder for a later start")
    status = commands.add_parser("status", help="print the export line of the running server's port")
    status.add_argument("--dir", type=Path, default=DEFAULT_POSTGRES_DIR, help=folder_help)
    spark = commands.add_parser("spark-check", help="check `dbt debug --target spark` passes in .venv-spark")
    spark.add_argument("--scratch", type=Path, default=REPO / "target" / "spark",
                       help="folder for Spark's warehouse, metastore and dbt logs (default target/spark)")
    args = parser.parse_args(argv)
    try:
        if args.command == "start-postgres":
            state = start_postgres(args.dir.resolve(), install=not args.no_install)
            print(f"export SALES_ACTIVITY_PG_PORT={state['port']}")
        elif args.command == "stop-postgres":
            stop_postgres(args.dir.resolve(), args.keep_data)
        elif args.command == "status":
            return status_postgres(args.dir.resolve())
        else:
            spark_check(args.scratch.resolve())
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
