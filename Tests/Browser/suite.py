"""The whole suite for the console's browser tests, on this machine: a private PostgreSQL
(Deploy/local/lib.sh's ``start_postgres``), the bus with CURVE keys made by
Deploy/keys/provision.sh, the four services and the console, each the real executable on a
free port. Nothing is mocked; the browser is Debian's Chromium."""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "Deploy" / "local" / "lib.sh"
SERVICES = ["intake", "matching", "supplies", "outreach"]


def bin_dir() -> Path:
    given = os.environ.get("SHOUWANG_BIN_DIR")
    if given:
        return Path(given)
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def free_port() -> int:
    # Below the kernel's ephemeral range, as the Swift tests' LoopbackPort does: a port
    # handed out by bind(0) can be given again to an outgoing connection.
    for _ in range(200):
        port = random.randint(21000, 31000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def wait_until(condition, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


class Suite:
    def __init__(self) -> None:
        self.bin = bin_dir()
        for binary in ["shouwang", "shouwang-bus", "shouwang-console"] + [f"shouwang-{s}" for s in SERVICES]:
            if not (self.bin / binary).exists():
                raise RuntimeError(f"{self.bin / binary} is not built (swift build, or set SHOUWANG_BIN_DIR)")
        self.folder = Path(tempfile.mkdtemp(prefix="shouwang-browser-"))
        os.chmod(self.folder, 0o755)  # the cluster runs as postgres when we are root
        self.processes: Dict[str, subprocess.Popen] = {}
        self.ports: Dict[str, int] = {}

    # MARK: Start and stop

    def start(self) -> "Suite":
        env = dict(os.environ, SHOUWANG_PG_PORT_BASE=str(random.randint(32000, 40000)))
        env.pop("SHOUWANG_PG_PASSWORD_FILE", None)
        pg = self.folder / "pg"
        subprocess.run(["bash", "-c", 'set -e; source "$1"; start_postgres "$2"', "x", str(LIB), str(pg)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        self.pg = pg
        port = (pg / "port").read_text().strip()
        subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", port, "-U", "shouwang", "-d", "postgres",
                        "-c", "CREATE DATABASE shouwang"], check=True, stdout=subprocess.DEVNULL)
        for name in ["publish", "subscribe", "replay", "bus"] + SERVICES + ["console"]:
            self.ports[name] = free_port()
        self.token_secret = secrets.token_hex(32)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SHOUWANG_") and not k.startswith("PG")}
        self.env.update(
            SHOUWANG_DATABASE_URL=f"postgres://shouwang@127.0.0.1:{port}/shouwang",
            SHOUWANG_BUS_PUBLISH=f"tcp://127.0.0.1:{self.ports['publish']}",
            SHOUWANG_BUS_SUBSCRIBE=f"tcp://127.0.0.1:{self.ports['subscribe']}",
            SHOUWANG_BUS_REPLAY=f"tcp://127.0.0.1:{self.ports['replay']}",
            SHOUWANG_TOKEN_SECRET=self.token_secret,
            SHOUWANG_LOG_LEVEL="info",
        )
        self.cli("migrate")
        keys = self.folder / "keys"
        subprocess.run([str(ROOT / "Deploy" / "keys" / "provision.sh"), str(keys), str(self.bin)], env=self.env, check=True,
                       stdout=subprocess.DEVNULL)
        self.env["SHOUWANG_BUS_SERVER_KEY"] = (keys / "bus.pub").read_text().strip()
        self.keys = keys
        self.spawn("bus", "shouwang-bus", ["--port", str(self.ports["bus"])], SHOUWANG_BUS_SERVER_SECRET_KEY_FILE=str(keys / "bus.key"))
        self.wait_ready("bus", self.ports["bus"])
        urls = {f"SHOUWANG_{s.upper()}_URL": f"http://127.0.0.1:{self.ports[s]}" for s in SERVICES}
        for service in SERVICES:
            extra = {"SHOUWANG_TRUSTED_PROXIES": "127.0.0.1/32"} if service == "intake" else {}
            self.spawn(service, f"shouwang-{service}", [], SHOUWANG_HTTP_PORT=str(self.ports[service]),
                       SHOUWANG_BUS_SECRET_KEY_FILE=str(keys / f"{service}.key"), **extra)
        self.spawn("console", "shouwang-console", [], SHOUWANG_HTTP_PORT=str(self.ports["console"]),
                   SHOUWANG_BUS_SECRET_KEY_FILE=str(keys / "console.key"),
                   SHOUWANG_CONSOLE_PUBLIC_URL=self.console_url, **urls)
        for name in SERVICES + ["console"]:
            self.wait_ready(name, self.ports[name])
        return self

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        if getattr(self, "pg", None):
            subprocess.run(["bash", "-c", 'source "$1"; stop_postgres "$2"', "x", str(LIB), str(self.pg)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def spawn(self, name: str, binary: str, args: List[str], **extra: str) -> None:
        env = dict(self.env, **extra)
        out = open(self.folder / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen([str(self.bin / binary), *args], env=env, stdin=subprocess.DEVNULL,
                                                stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, name: str, port: int, timeout: float = 90) -> None:
        def ready() -> bool:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log(name)}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                    return answer.status == 200
            except (urllib.error.URLError, OSError):
                return False

        if not wait_until(ready, timeout, every=0.3):
            raise RuntimeError(f"{name} did not become ready:\n{self.log(name)}")

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-4000:]

    # MARK: Tools the tests use

    @property
    def console_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['console']}"

    def cli(self, *args: str, stdin: Optional[str] = None) -> str:
        done = subprocess.run([str(self.bin / "shouwang"), *args], env=self.env, input=stdin, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"shouwang {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def token(self, role: str, area: Optional[str] = None, subject: str = "browser-test") -> str:
        args = ["token", "--role", role, "--subject", subject] + (["--area", area] if area else [])
        return self.cli(*args).strip()

    def add_user(self, username: str, role: str, area: Optional[str], password: str) -> None:
        self.cli("users", "add", "--username", username, "--role", role, *(["--area", area] if area else []), stdin=password + "\n")

    def api(self, service: str, method: str, path: str, token: Optional[str] = None, body=None,
            headers: Optional[Dict[str, str]] = None) -> Tuple[int, object]:
        """One call to a service's HTTP API, as an integrator or a station's tool would make it."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.ports[service]}{path}", data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                text = answer.read().decode()
                return answer.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, text
