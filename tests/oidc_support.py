"""A real OpenID Connect provider on loopback for the tests: panva's certified ``oidc-provider`` (npm), run by Node.

The provider program and its pinned dependency live in tests/oidc_provider/ (provider.mjs says what it does and
how a browser signs in). ``ensure_installed()`` runs ``npm ci`` there the first time; ``OidcProvider`` starts one
provider for a test and stops it afterwards::

    with OidcProvider(clients=[{"client_id": "planner", "client_secret": "s3cret",
                                "redirect_uris": [f"{base}/auth/callback"],
                                "post_logout_redirect_uris": [f"{base}/"]}],
                      accounts={"alice": {"email": "alice@test.invalid", "email_verified": True}}) as op:
        op.issuer          # "http://127.0.0.1:PORT"
        op.discovery_url   # op.issuer + "/.well-known/openid-configuration"

Needs Node (18 or newer) and, for the first ``npm ci``, the npm registry; a missing one fails the test with a
message saying so, never skips it.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"
PROVIDER_SCRIPT = PROVIDER_DIR / "provider.mjs"
READY_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0

_install_lock = threading.Lock()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pkce_pair() -> tuple[str, str]:
    """A PKCE ``(code_verifier, code_challenge)`` pair for the S256 method."""
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def sign_in(page, login: str, password: str = "any password") -> None:
    """Fill in and submit the provider's sign-in page (the page must be on it): any password is accepted,
    and there is no consent page after it."""
    page.fill('input[name="login"]', login)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')


def jwt_parts(token: str) -> tuple[dict, dict]:
    """A JWT's header and payload, decoded (the signature is not checked)."""
    def decode(part: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    header, payload, _signature = token.split(".")
    return decode(header), decode(payload)


def _node() -> str:
    node = shutil.which("node")
    if not node:
        pytest.fail("the OpenID Connect tests need Node.js (18 or newer) on PATH to run tests/oidc_provider/provider.mjs")
    return node


def ensure_installed() -> None:
    """Install tests/oidc_provider's pinned packages (``npm ci``) unless node_modules is already there."""
    with _install_lock:
        if (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
            return
        _node()
        npm = shutil.which("npm")
        if not npm:
            pytest.fail("the OpenID Connect tests need npm on PATH to install tests/oidc_provider "
                        "(or run `npm ci` there yourself)")
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR,
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            pytest.fail(f"`npm ci` in {PROVIDER_DIR} failed (exit {result.returncode}); the OpenID Connect tests "
                        f"need the npm registry once to install oidc-provider.\n{result.stdout}\n{result.stderr}")


class OidcProvider:
    """One oidc-provider process on 127.0.0.1, configured with ``clients`` and ``accounts`` (see provider.mjs).

    ``port=0`` lets the OS pick the port. Use as a context manager, or call ``start()`` and ``stop()``.
    The provider's stderr (library warnings, request errors) goes to ``log_path``; ``log()`` reads it.
    """

    def __init__(self, clients: list[dict], accounts: dict[str, dict] | None = None, id_token_ttl: int = 600,
                 port: int = 0, issuer_host: str = "127.0.0.1", confirm_logout: bool = False):
        self.config = {"port": port, "issuer_host": issuer_host, "clients": clients, "accounts": accounts or {},
                       "id_token_ttl": id_token_ttl, "confirm_logout": confirm_logout, "exit_with_stdin": True}
        self.issuer: str | None = None
        self.process: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._log = None
        self.log_path: Path | None = None

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path else ""

    def start(self) -> "OidcProvider":
        ensure_installed()
        node = _node()
        self._tmp = tempfile.TemporaryDirectory(prefix="oidc-provider-")
        folder = Path(self._tmp.name)
        config_path = folder / "config.json"
        config_path.write_text(json.dumps(self.config), encoding="utf-8")
        self.log_path = folder / "provider.log"
        self._log = open(self.log_path, "wb")
        env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
        # stdin stays open as long as we hold it: the provider exits when it closes (even if we die).
        self.process = subprocess.Popen([node, str(PROVIDER_SCRIPT), str(config_path)], cwd=PROVIDER_DIR,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, env=env)
        try:
            self.issuer = self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> str:
        lines: list[bytes] = []

        def read() -> None:
            # The provider prints only the READY line on stdout; read until it (or EOF).
            for line in self.process.stdout:
                lines.append(line)
                if line.startswith(b"READY "):
                    break

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(READY_TIMEOUT)
        for line in lines:
            if line.startswith(b"READY "):
                return line.split(None, 1)[1].decode().strip()
        state = "did not say READY" if self.process.poll() is None else f"exited with {self.process.returncode}"
        pytest.fail(f"the OpenID Connect provider (tests/oidc_provider/provider.mjs) {state} within "
                    f"{READY_TIMEOUT:.0f} s.\nstdout: {b''.join(lines).decode(errors='replace')}\nlog:\n{self.log()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(STOP_TIMEOUT)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
            self.log_path = None

    def __enter__(self) -> "OidcProvider":
        return self.start()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and self.log_path is not None:
            # pytest shows a failed test's captured stderr: the provider's side of the story.
            sys.stderr.write(f"--- oidc-provider log ({self.issuer}) ---\n{self.log()}\n")
        self.stop()
