"""A private Shouwang bus for the integration tests: its own PostgreSQL cluster (started
with Deploy/local/lib.sh's ``start_postgres``), the real ``shouwang-bus`` with CURVE keys
made by ``shouwang keys``, and the real ``shouwang`` CLI to publish."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import shouwang_bus

HERE = Path(__file__).resolve().parent
CLIENT = HERE.parent
ROOT = Path(os.environ.get("SHOUWANG_REPO_ROOT", CLIENT.parent.parent)).resolve()
LIB = ROOT / "Deploy" / "local" / "lib.sh"
EXAMPLE = CLIENT / "examples" / "tail.py"
#: The test streams (the first segment of their topics), each read by the integrator key.
STREAMS = ["pyorder", "pykill", "pybus", "pymany", "pytail"]


def bin_dir() -> Path:
    given = os.environ.get("SHOUWANG_BIN_DIR")
    if given:
        return Path(given)
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


class Process:
    """A child process whose output goes to files (never pipes, which block a chatty child)."""

    def __init__(self, name: str, argv: List[str], env: Dict[str, str], folder: Path) -> None:
        self.name = name
        self.out_path = folder / f"{name}.out"
        self.err_path = folder / f"{name}.err"
        self.popen = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL,
            stdout=open(self.out_path, "ab"), stderr=open(self.err_path, "ab"),
        )

    @property
    def output(self) -> str:
        return self.out_path.read_text(errors="replace")

    @property
    def errors(self) -> str:
        return self.err_path.read_text(errors="replace")[-4000:]

    def wait(self, timeout: float) -> Optional[int]:
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def terminate(self, timeout: float = 15) -> Optional[int]:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait()


class Stack:
    def __init__(self) -> None:
        self.bin = bin_dir()
        for binary in ("shouwang", "shouwang-bus"):
            if not (self.bin / binary).exists():
                raise RuntimeError(f"{self.bin / binary} is not built (set SHOUWANG_BIN_DIR)")
        self.folder = Path(tempfile.mkdtemp(prefix="shouwang-pyclient-"))
        # The cluster runs as `postgres` when we are root: it must reach its folder.
        os.chmod(self.folder, 0o755)
        self.pg = self.folder / "pg"
        self.processes: List[Process] = []
        self.bus: Optional[Process] = None
        self.started_postgres = False

    # MARK: Set-up

    def start(self) -> "Stack":
        env = dict(os.environ, SHOUWANG_PG_PORT_BASE=str(random.randint(20000, 40000)))
        env.pop("SHOUWANG_PG_PASSWORD_FILE", None)
        subprocess.run(
            ["bash", "-c", 'set -e; source "$1"; start_postgres "$2"', "start_postgres", str(LIB), str(self.pg)],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )
        self.started_postgres = True
        port = (self.pg / "port").read_text().strip()
        subprocess.run(
            ["psql", "-X", "-q", "-h", "127.0.0.1", "-p", port, "-U", "shouwang", "-d", "postgres",
             "-c", "CREATE DATABASE shouwang"],
            check=True, stdout=subprocess.DEVNULL,
        )
        self.database_url = f"postgres://shouwang@127.0.0.1:{port}/shouwang"
        self.ports = {"publish": free_port(), "subscribe": free_port(), "replay": free_port(), "http": free_port()}
        self.env = {
            k: v for k, v in os.environ.items()
            if not k.startswith("SHOUWANG_") and not k.startswith("PG")
        }
        self.env.update(
            SHOUWANG_DATABASE_URL=self.database_url,
            SHOUWANG_BUS_PUBLISH=f"tcp://127.0.0.1:{self.ports['publish']}",
            SHOUWANG_BUS_SUBSCRIBE=f"tcp://127.0.0.1:{self.ports['subscribe']}",
            SHOUWANG_BUS_REPLAY=f"tcp://127.0.0.1:{self.ports['replay']}",
            SHOUWANG_LOG_LEVEL="info",
        )
        self.cli("migrate")
        keys = self.folder / "keys"
        keys.mkdir(mode=0o700)
        self.server_secret = keys / "bus.key"
        self.server_key = self.cli("keys", "generate", "--secret-file", str(self.server_secret)).strip().split()[-1]
        self.env["SHOUWANG_BUS_SERVER_KEY"] = self.server_key
        # The integrator: reads the tests' streams only, like a real integrator's grant.
        self.integrator_secret = keys / "integrator.key"
        grants = [arg for stream in STREAMS for arg in ("--prefix", f"{stream}.")]
        self.cli("keys", "create", "--name", "py-integrator", "--role", "integrator", *grants,
                 "--secret-file", str(self.integrator_secret))
        # Each stream's publisher (publish-test and its relay): a service key of that stream.
        self.publisher_secrets = {}
        for stream in STREAMS:
            self.publisher_secrets[stream] = keys / f"{stream}.key"
            self.cli("keys", "create", "--name", f"{stream}-publisher", "--role", "service", "--stream", stream,
                     "--prefix", f"{stream}.", "--secret-file", str(self.publisher_secrets[stream]))
        self.start_bus()
        return self

    def cli(self, *args: str, env: Optional[Dict[str, str]] = None) -> str:
        done = subprocess.run([str(self.bin / "shouwang"), *args], env=env or self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"shouwang {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def endpoints(self) -> shouwang_bus.BusEndpoints:
        return shouwang_bus.BusEndpoints(
            subscribe=self.env["SHOUWANG_BUS_SUBSCRIBE"], replay=self.env["SHOUWANG_BUS_REPLAY"],
            server_key=self.server_key, secret_key=self.integrator_secret.read_text().strip(),
        )

    def start_bus(self, timeout: float = 60) -> None:
        env = dict(self.env, SHOUWANG_BUS_SERVER_SECRET_KEY_FILE=str(self.server_secret))
        self.bus = self.spawn("bus", [str(self.bin / "shouwang-bus"), "--port", str(self.ports["http"])], env=env)

        def ready() -> bool:
            try:
                shouwang_bus.ping(self.endpoints(), timeout=0.3)
                return True
            except shouwang_bus.BusError:
                return False

        if not wait_until(ready, timeout, every=0.2):
            raise RuntimeError(f"shouwang-bus did not become ready:\n{self.bus.errors}")

    def stop_bus(self) -> Optional[int]:
        assert self.bus is not None
        status = self.bus.terminate(20)
        self.bus = None
        return status

    def spawn(self, name: str, argv: List[str], env: Optional[Dict[str, str]] = None) -> Process:
        taken = {p.name for p in self.processes}
        unique, n = name, 1
        while unique in taken:
            n += 1
            unique = f"{name}-{n}"
        process = Process(unique, argv, env or self.env, self.folder)
        self.processes.append(process)
        return process

    # MARK: The processes the tests drive

    def publisher_env(self, stream: str) -> Dict[str, str]:
        return dict(self.env, SHOUWANG_BUS_SECRET_KEY_FILE=str(self.publisher_secrets[stream]))

    def publish(self, stream: str, count: int, *extra: str) -> Process:
        return self.spawn(
            f"publish-{stream}",
            [str(self.bin / "shouwang"), "publish-test", "--stream", stream, "--count", str(count), *extra],
            env=self.publisher_env(stream),
        )

    def relay(self, stream: str) -> Process:
        return self.spawn(f"relay-{stream}", [str(self.bin / "shouwang"), "relay", "--stream", stream], env=self.publisher_env(stream))

    def tail(self, prefix: str, db: Path, *extra: str) -> Process:
        env = dict(self.env, SHOUWANG_BUS_SECRET_KEY_FILE=str(self.integrator_secret), PYTHONUNBUFFERED="1")
        return self.spawn("tail", [sys.executable, str(EXAMPLE), prefix, "--db", str(db), "--quiet", *extra], env=env)

    # MARK: Tear-down

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.popen.poll() is None:
                if process.terminate(10) is None:
                    process.kill()
        if self.started_postgres:
            subprocess.run(
                ["bash", "-c", 'source "$1"; stop_postgres "$2"', "stop_postgres", str(LIB), str(self.pg)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        if os.environ.get("SHOUWANG_KEEP_TEST_FOLDER"):
            print(f"kept {self.folder}", file=sys.stderr)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


def recorded(db: Path) -> List[tuple]:
    """``(topic, seq, id)`` of every event the example recorded, in insertion order."""
    if not db.exists():
        return []
    connection = sqlite3.connect(db, timeout=30)
    try:
        return connection.execute("SELECT topic, seq, id FROM events ORDER BY rowid").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        connection.close()


def count(db: Path) -> int:
    if not db.exists():
        return 0
    connection = sqlite3.connect(db, timeout=30)
    try:
        return connection.execute("SELECT count(*) FROM events").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        connection.close()


def positions(db: Path) -> Dict[str, int]:
    connection = sqlite3.connect(db, timeout=30)
    try:
        return dict(connection.execute("SELECT topic, seq FROM shouwang_positions").fetchall())
    finally:
        connection.close()


def gap_free_per_topic(rows: List[tuple]) -> bool:
    by_topic: Dict[str, List[int]] = {}
    for topic, seq, _ in rows:
        by_topic.setdefault(topic, []).append(seq)
    return all(seqs == list(range(1, len(seqs) + 1)) for seqs in by_topic.values())
