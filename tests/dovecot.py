"""A real IMAP server for tests and benchmarks: Debian's dovecot with a config of its own.

``Dovecot(users={"support": "secret"})`` writes a config into a temporary directory (its
base, state and log paths, a passwd-file of the given users, a throwaway Maildir per user),
starts ``dovecot -c FILE`` on a free port of 127.0.0.1 and, on ``stop()``, ends it by the pid
in ``base_dir/master.pid`` and removes the directory. Plain IMAP (no TLS) on loopback only,
as STACK_NOTES.md ("Real IMAP server for tests") describes. ``client(user)`` returns a
logged-in ``imaplib.IMAP4`` for delivering messages (APPEND) and reading flags.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def available() -> bool:
    """True when dovecot can run here (installed, and the ``dovecot`` system user exists)."""
    if not os.path.exists(DOVECOT):
        return False
    try:
        pwd.getpwnam("dovecot")
    except KeyError:
        return False
    return True


SPARE_PASSWORD = "secret"  # the password of every spare account (take_user)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
first_valid_gid = 1
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 50
}}
"""


class Dovecot:
    def __init__(
        self, users: dict[str, str] | None = None, *, spare: int = 0, tls: bool = False
    ) -> None:
        self.tls = tls  # IMAPS on ``tls_port`` and STARTTLS on ``port``, self-signed
        self.tls_port = 0
        self.cert_file = ""
        self.users = dict(users or {"support": "secret"})
        self._spare = [f"box{n}" for n in range(1, spare + 1)]
        self.users.update({name: SPARE_PASSWORD for name in self._spare})
        self.host = "127.0.0.1"
        self.port = 0
        self.root: Path | None = None

    # --- life cycle -------------------------------------------------------------------

    def start(self, timeout: float = 15.0) -> Dovecot:
        self.root = Path(tempfile.mkdtemp(prefix="csops-dovecot-"))
        self.root.chmod(0o755)  # dovecot's unprivileged processes read the passwd file
        self.port = free_port()
        for name in ("run", "state", "mail"):
            (self.root / name).mkdir()
        (self.root / "passwd").write_text("")
        for user, password in self.users.items():
            self._write_user(user, password)
        ssl = "ssl = no"
        if self.tls:
            self.tls_port = free_port()
            ssl = self._self_signed()
        (self.root / "dovecot.conf").write_text(
            CONFIG.format(root=self.root, port=self.port, tls_port=self.tls_port, ssl=ssl)
        )
        # The master daemonizes: its output goes to a file (a pipe would stay open for ever).
        with open(self.root / "start.log", "wb") as out:
            code = subprocess.call(
                [DOVECOT, "-c", str(self.root / "dovecot.conf")],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if code != 0:
            message = (self.root / "start.log").read_text(errors="replace")
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
            raise RuntimeError(f"dovecot did not start (exit {code}): {message}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return self
            time.sleep(0.05)
        log = self.log()
        self.stop()
        raise RuntimeError(f"dovecot did not listen on {self.port} within {timeout} s: {log}")

    def _self_signed(self) -> str:
        """A certificate for 127.0.0.1 (``cert_file``: the CA a client must trust)."""
        assert self.root is not None
        cert, key = self.root / "cert.pem", self.root / "key.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],  # fmt: skip
            check=True,
            capture_output=True,
        )
        self.cert_file = str(cert)
        return f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}"

    def take_user(self) -> str:
        """An account of its own for one test (its Maildir empty), from the ``spare`` ones
        written at start: dovecot does not reliably re-read a passwd-file that changes while
        it runs, so accounts are not added later."""
        if not self._spare:
            raise RuntimeError("no spare IMAP account left: start Dovecot(spare=...) with more")
        return self._spare.pop(0)

    def _write_user(self, user: str, password: str) -> None:
        assert self.root is not None
        uid, gid = pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid
        home = self.root / "mail" / user
        home.mkdir()
        os.chown(home, uid, gid)
        with open(self.root / "passwd", "a") as passwd:
            passwd.write(f"{user}:{{PLAIN}}{password}:{uid}:{gid}::{home}\n")

    def stop(self) -> None:
        if self.root is None:
            return
        pid_file = self.root / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _alive(pid):
                time.sleep(0.05)
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> Dovecot:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def log(self) -> str:
        path = self.root / "dovecot.log" if self.root else None
        return path.read_text(errors="replace") if path and path.exists() else ""

    # --- helpers for tests: deliver and inspect ---------------------------------------

    @contextlib.contextmanager
    def client(self, user: str = "support") -> Iterator[imaplib.IMAP4]:
        conn = imaplib.IMAP4(self.host, self.port, timeout=30)
        try:
            conn.login(user, self.users[user])
            yield conn
        finally:
            with contextlib.suppress(Exception):
                conn.logout()

    def deliver(self, *messages: bytes, user: str = "support", folder: str = "INBOX") -> None:
        """APPEND each message to ``folder`` (unseen), as an MTA's delivery would."""
        with self.client(user) as conn:
            if folder != "INBOX":
                conn.create(_quote(folder))  # an existing folder answers NO: fine
            for raw in messages:
                typ, data = conn.append(_quote(folder), "", None, raw)
                if typ != "OK":
                    raise RuntimeError(f"APPEND failed: {data}")

    def flags(self, user: str = "support", folder: str = "INBOX") -> dict[int, set[str]]:
        """UID → flags of every message in ``folder`` (without the session flag ``\\Recent``)."""
        with self.client(user) as conn:
            conn.select(_quote(folder), readonly=True)
            typ, data = conn.uid("FETCH", "1:*", "(FLAGS)")
            found: dict[int, set[str]] = {}
            for item in data:
                if not item:
                    continue
                text = item.decode() if isinstance(item, bytes) else item[0].decode()
                uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
                flags = text.split("FLAGS (")[1].split(")")[0].split()
                found[uid] = set(flags) - {"\\Recent"}
            return found

    def count(self, user: str = "support", folder: str = "INBOX") -> int:
        with self.client(user) as conn:
            typ, data = conn.select(_quote(folder), readonly=True)
            if typ != "OK":
                raise RuntimeError(f"no folder {folder!r}: {data}")
            return int(data[0])


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
