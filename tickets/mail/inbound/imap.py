"""A small IMAP client for reading a mailbox (stdlib ``imaplib``; no ORM here).

``connect(account)`` opens a session (IMAPS, STARTTLS or plain, as the mailbox says) and
logs in; the session selects the folder and reports its UIDVALIDITY, lists the UIDs to
read, fetches messages in batches with ``BODY.PEEK[]`` (reading never sets ``\\Seen``), and
marks a batch processed: ``\\Seen`` or, when a processed folder is set, moved there.
``wait_for_mail`` holds IMAP IDLE (RFC 2177; imaplib has none before Python 3.14) for the
mailbox listener (listener.py).

Every failure a mailbox's owner can fix (a missing password variable, a refused connection,
a bad certificate, wrong credentials, a folder that does not exist) is raised as
``ImapError`` with a sentence that says what to fix; the poll records it on the mailbox.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import select
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

TLS, STARTTLS, NONE = "tls", "starttls", "none"  # the mailbox's ``imap_security`` values

_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_EXISTS = re.compile(rb"^\* \d+ EXISTS\b", re.IGNORECASE)
_IDLE_TAG = b"CSIDLE"


class ImapError(Exception):
    """A mailbox that cannot be read; the message says why, for the admin page."""


@dataclass(frozen=True)
class Account:
    host: str
    port: int
    security: str  # TLS, STARTTLS or NONE
    username: str
    password: str
    timeout: float = 30.0
    ca_file: str = ""  # a private CA's certificates (PEM); empty: the system's trust store

    def label(self) -> str:
        return f"{self.username}@{self.host}:{self.port}"


def _text(data) -> str:
    parts = [d.decode(errors="replace") if isinstance(d, bytes) else str(d) for d in data or []]
    return " ".join(p for p in parts if p).strip()


def _tls_context(account: Account) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=account.ca_file or None)


def connect(account: Account) -> Session:
    """A logged-in session; raises ``ImapError`` on any failure to get there."""
    where = account.label()
    try:
        if account.security == TLS:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                account.host,
                account.port,
                ssl_context=_tls_context(account),
                timeout=account.timeout,
            )
        else:
            conn = imaplib.IMAP4(account.host, account.port, timeout=account.timeout)
            if account.security == STARTTLS:
                conn.starttls(ssl_context=_tls_context(account))
    except ssl.SSLCertVerificationError as exc:
        raise ImapError(f"TLS certificate of {where} was refused: {exc.verify_message}.") from exc
    except ssl.SSLError as exc:
        raise ImapError(f"TLS with {where} failed: {exc.reason or exc}.") from exc
    except TimeoutError as exc:
        raise ImapError(f"No answer from {where} within {account.timeout:g} s.") from exc
    except OSError as exc:
        raise ImapError(f"Cannot connect to {where}: {exc.strerror or exc}.") from exc
    except imaplib.IMAP4.error as exc:
        raise ImapError(f"{where} refused the session: {exc}.") from exc
    try:
        conn.login(account.username, account.password)
    except imaplib.IMAP4.error as exc:
        _close(conn)
        reason = str(exc).removeprefix("b'").removesuffix("'").removeprefix('b"').rstrip('"')
        raise ImapError(f"Login to {where} failed: {reason}") from exc
    except OSError as exc:
        _close(conn)
        raise ImapError(f"Connection to {where} lost during login: {exc}.") from exc
    return Session(conn, account)


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(Exception):
        conn.logout()


class Session:
    def __init__(self, conn: imaplib.IMAP4, account: Account) -> None:
        self.conn = conn
        self.account = account
        self.folder = ""
        self._idle_round = 0

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        _close(self.conn)

    def _ok(self, typ: str, data, what: str) -> list:
        if typ != "OK":
            raise ImapError(f"{what} failed on {self.account.label()}: {_text(data)}")
        return data

    def _call(self, what: str, fn, *args) -> list:
        try:
            typ, data = fn(*args)
        except imaplib.IMAP4.abort as exc:
            raise ImapError(
                f"{self.account.label()} closed the connection ({what}): {exc}"
            ) from exc
        except imaplib.IMAP4.error as exc:
            raise ImapError(f"{what} failed on {self.account.label()}: {exc}") from exc
        except OSError as exc:
            raise ImapError(f"Connection to {self.account.label()} lost ({what}): {exc}") from exc
        return self._ok(typ, data, what)

    def select(self, folder: str) -> int:
        """Open ``folder`` read-write; returns its UIDVALIDITY."""
        try:
            typ, data = self.conn.select(_quote(folder))
        except (imaplib.IMAP4.error, OSError) as exc:
            raise ImapError(f"Cannot open folder {folder!r}: {exc}") from exc
        if typ != "OK":
            raise ImapError(
                f"Folder {folder!r} does not exist on {self.account.label()} ({_text(data)})."
            )
        self.folder = folder
        validity = self.conn.untagged_responses.get("UIDVALIDITY") or []
        if not validity:  # some servers only answer it to STATUS
            data = self._call("STATUS", self.conn.status, _quote(folder), "(UIDVALIDITY)")
            match = _UIDVALIDITY.search(data[0] or b"")
            if not match:
                raise ImapError(f"{self.account.label()} reports no UIDVALIDITY for {folder!r}.")
            return int(match.group(1))
        return int(validity[-1])

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs above ``last_uid`` in the selected folder, ascending. ``UID n:*`` always
        matches the highest message even when it is below n, hence the filter."""
        data = self._call("UID SEARCH", self.conn.uid, "SEARCH", None, f"UID {last_uid + 1}:*")
        return sorted(u for u in _numbers(data) if u > last_uid)

    def unseen_uids(self) -> list[int]:
        data = self._call("UID SEARCH", self.conn.uid, "SEARCH", None, "UNSEEN")
        return sorted(_numbers(data))

    def sizes(self, uids: list[int]) -> dict[int, int]:
        """UID → size in bytes, one command for the lot."""
        found: dict[int, int] = {}
        for chunk in _chunks(uids, 500):
            data = self._call("UID FETCH", self.conn.uid, "FETCH", _set(chunk), "(RFC822.SIZE)")
            for item in data:
                line = item[0] if isinstance(item, tuple) else item
                uid, size = _UID.search(line or b""), _SIZE.search(line or b"")
                if uid and size:
                    found[int(uid.group(1))] = int(size.group(1))
        return found

    def fetch(self, uids: list[int]) -> Iterator[tuple[int, bytes]]:
        """(UID, raw message) for each of ``uids`` still there, in UID order, without
        setting ``\\Seen`` (``BODY.PEEK``)."""
        data = self._call("UID FETCH", self.conn.uid, "FETCH", _set(uids), "(UID BODY.PEEK[])")
        got: dict[int, bytes] = {}
        for item in data:
            if isinstance(item, tuple) and len(item) >= 2:
                match = _UID.search(item[0])
                if match:
                    got[int(match.group(1))] = item[1]
        for uid in sorted(got):
            yield uid, got[uid]

    def mark_processed(self, uids: list[int], *, move_to: str = "") -> None:
        """Flag ``uids`` ``\\Seen``, or move them to ``move_to`` (created when missing)."""
        if not uids:
            return
        if not move_to:
            self._call("UID STORE", self.conn.uid, "STORE", _set(uids), "+FLAGS.SILENT", r"(\Seen)")
            return
        self._ensure_folder(move_to)
        self._call("UID STORE", self.conn.uid, "STORE", _set(uids), "+FLAGS.SILENT", r"(\Seen)")
        if b"MOVE" in _capabilities(self.conn):
            self._call("UID MOVE", self.conn.uid, "MOVE", _set(uids), _quote(move_to))
            return
        self._call("UID COPY", self.conn.uid, "COPY", _set(uids), _quote(move_to))
        self._call("UID STORE", self.conn.uid, "STORE", _set(uids), "+FLAGS.SILENT", r"(\Deleted)")
        if b"UIDPLUS" in _capabilities(self.conn):
            self._call("UID EXPUNGE", self.conn.uid, "EXPUNGE", _set(uids))
        else:
            self._call("EXPUNGE", self.conn.expunge)

    def watch(self, folder: str) -> None:
        """Open ``folder`` read-only (EXAMINE) to wait for its new mail with IDLE; raises
        ``ImapError`` when the server has no IDLE."""
        if b"IDLE" not in _capabilities(self.conn):
            raise ImapError(f"{self.account.label()} does not offer IMAP IDLE.")
        try:
            typ, data = self.conn.select(_quote(folder), readonly=True)
        except (imaplib.IMAP4.error, OSError) as exc:
            raise ImapError(f"Cannot open folder {folder!r}: {exc}") from exc
        if typ != "OK":
            raise ImapError(
                f"Folder {folder!r} does not exist on {self.account.label()} ({_text(data)})."
            )
        # From here on only short lines are read, each once the socket says it is there:
        # unbuffered, so that nothing the server sent sits in a buffer select() cannot see.
        self.conn.file = self.conn.sock.makefile("rb", buffering=0)
        self.folder = folder

    def wait_for_mail(self, seconds: float, stop: threading.Event) -> bool:
        """Hold IDLE on the watched folder until the server reports new mail (``EXISTS``),
        ``seconds`` pass or ``stop`` is set (looked at every second); True on new mail.
        The caller renews it (servers drop an IDLE after 30 minutes, NATs sooner): a
        connection that died silently fails at the ``DONE`` that ends each round."""
        self._idle_round += 1
        tag = _IDLE_TAG + str(self._idle_round).encode()
        self._send(tag + b" IDLE\r\n", "IDLE")
        new = False
        while True:  # up to the server's "+ idling"
            line = self._line("IDLE")
            if line.startswith(b"+"):
                break
            if line.startswith(tag):
                raise ImapError(f"IDLE refused by {self.account.label()}: {_text([line])}")
            new = new or bool(_EXISTS.match(line))
        deadline = time.monotonic() + seconds
        while not (new or stop.is_set() or time.monotonic() >= deadline):
            if self._readable(min(1.0, max(0.0, deadline - time.monotonic()))):
                new = bool(_EXISTS.match(self._line("IDLE")))
        self._send(b"DONE\r\n", "IDLE")
        while True:
            line = self._line("IDLE")
            if line.startswith(tag):
                if not line[len(tag) :].lstrip().upper().startswith(b"OK"):
                    raise ImapError(f"IDLE ended badly on {self.account.label()}: {_text([line])}")
                return new
            new = new or bool(_EXISTS.match(line))

    def _send(self, data: bytes, what: str) -> None:
        try:
            self.conn.send(data)
        except OSError as exc:
            raise ImapError(f"Connection to {self.account.label()} lost ({what}): {exc}") from exc

    def _readable(self, seconds: float) -> bool:
        sock = self.conn.sock
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        try:
            return bool(select.select([sock], [], [], seconds)[0])
        except (OSError, ValueError) as exc:
            raise ImapError(f"Connection to {self.account.label()} lost: {exc}") from exc

    def _line(self, what: str) -> bytes:
        """One line from the server (within the socket's timeout); a closed connection or a
        ``BYE`` (the server going away) is an ``ImapError``."""
        try:
            line = self.conn.readline()
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapError(f"Connection to {self.account.label()} lost ({what}): {exc}") from exc
        if not line:
            raise ImapError(f"{self.account.label()} closed the connection ({what}).")
        if line.upper().startswith(b"* BYE"):
            raise ImapError(f"{self.account.label()} ended the session: {_text([line])}")
        return line

    def _ensure_folder(self, folder: str) -> None:
        typ, data = self.conn.list('""', _quote(folder))
        if typ == "OK" and any(d for d in data if d):
            return
        self._call("CREATE", self.conn.create, _quote(folder))


def _capabilities(conn: imaplib.IMAP4) -> bytes:
    return b" ".join(c.encode() if isinstance(c, str) else c for c in conn.capabilities)


def _numbers(data) -> list[int]:
    return [int(n) for line in data or [] if line for n in line.split()]


def _set(uids: list[int]) -> str:
    return ",".join(str(u) for u in uids)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _quote(folder: str) -> str:
    """A folder name as an IMAP string (names with spaces or quotes need it)."""
    escaped = folder.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
