"""Servers the browser tests and the benchmarks start: the app as a user starts it, and Debian's
nginx in front of replicas with the shipped configuration (``deploy/nginx/wddf.conf``)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from wddf.config import SERVER_TRUST_DEFAULT, SERVER_TRUST_VARIABLE

ROOT = Path(__file__).resolve().parents[2]


def wait_healthy(url: str, process: subprocess.Popen, seconds: float) -> None:
    """Wait until ``url``'s ``/_stcore/health`` answers 200; fail if ``process`` exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not become healthy in {seconds:.0f} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``streamlit run app.py`` as a user starts it, which the tests may kill and restart."""

    def __init__(
        self, database_url: str, port: int | None = None, script: str = "app.py", **env: str
    ) -> None:
        self.script = script
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {"WDDF_DATABASE_URL": database_url} | env
        # as the launchers do: the server believes X-Forwarded-For from WDDF_TRUSTED_PROXIES only
        trusted = self.env.get("WDDF_TRUSTED_PROXIES", SERVER_TRUST_DEFAULT)
        self.env[SERVER_TRUST_VARIABLE] = trusted
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_healthy(self.url, self.process, 60)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a crash or power cut of the process."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


SITE = ROOT / "deploy" / "nginx" / "wddf.conf"
MAIN = """daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/wddf.conf;
}}
"""


def site_config(listen: int, replicas: list[int]) -> str:
    """The shipped site configuration, on loopback ports of the test's choosing."""
    text = SITE.read_text()
    text = re.sub(r"listen \d+;", f"listen 127.0.0.1:{listen};", text)
    shipped = re.findall(r"^\s*server 127\.0\.0\.1:\d+ (.*);$", text, flags=re.M)
    assert shipped, "the shipped upstream lists no replica"
    text = re.sub(r"^\s*server 127\.0\.0\.1:\d+ .*;\n", "", text, flags=re.M)
    lines = "".join(f"    server 127.0.0.1:{port} {shipped[0]};\n" for port in replicas)
    return text.replace(
        "hash $wddf_sticky consistent;\n", f"hash $wddf_sticky consistent;\n{lines}"
    )


class Nginx:
    """Debian's nginx in the foreground, with its files in a temporary folder."""

    def __init__(self, tmp: Path, replicas: list[int]) -> None:
        self.tmp, self.port = tmp, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (tmp / "wddf.conf").write_text(site_config(self.port, replicas))
        user = "user root;" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(MAIN.format(tmp=tmp, user=user))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise RuntimeError("Debian's nginx is not installed: run bash bin/setup dev")
        check = subprocess.run(
            [binary, "-t", "-c", str(self.tmp / "nginx.conf"), "-p", str(self.tmp)],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(
            [binary, "-c", str(self.tmp / "nginx.conf"), "-p", str(self.tmp)]
        )
        wait_healthy(self.url, self.process, 30)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
