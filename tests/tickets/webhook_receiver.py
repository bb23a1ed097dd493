"""A real HTTP receiver for webhook tests: http.server on a free port, in a thread.

``script`` lists what to do with each request in turn (a status code, ("sleep", seconds)
then 200, ("stall", seconds): set ``stalled`` and then sleep, so a test can act while
the sender waits for the answer, or ("refuse", status): answer before reading the body and
hang up); once it runs out every request gets ``default``. Each
request is kept with its headers and body. ``verify(secret)`` is what a real receiver does
with the signature."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tickets.webhooks import signing


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def delivery(self) -> str:
        return self.headers[signing.DELIVERY_HEADER]

    def verify(self, secret: str) -> bool:
        return signing.verify(
            secret,
            timestamp=self.headers.get(signing.TIMESTAMP_HEADER, ""),
            body=self.body,
            signature_header=self.headers.get(signing.SIGNATURE_HEADER, ""),
            now=time.time(),
        )


@dataclass
class Receiver:
    url: str = ""
    script: list = field(default_factory=list)
    default: object = 200
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stalled: threading.Event = field(default_factory=threading.Event)

    def next_action(self) -> object:
        with self.lock:
            return self.script.pop(0) if self.script else self.default

    def delivered_ids(self) -> set[str]:
        return {r.delivery for r in self.requests}


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            action = receiver.next_action()
            if isinstance(action, tuple) and action[0] == "refuse":
                self._refuse(action[1])
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = 200
            if isinstance(action, tuple) and action[0] == "stall":
                receiver.stalled.set()
            if isinstance(action, tuple):
                time.sleep(action[1])
            elif isinstance(action, int):
                status = action
            with receiver.lock:
                receiver.requests.append(Received(dict(self.headers), body, time.time()))
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the sender gave up (its timeout)

        def _refuse(self, status: int) -> None:
            """Answer before reading the body and hang up, as a proxy with a body limit does
            (nginx's 413)."""
            with receiver.lock:
                receiver.requests.append(Received(dict(self.headers), b"", time.time()))
            self.close_connection = True
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextlib.contextmanager
def running_receiver(script: list | None = None, default: object = 200) -> Iterator[Receiver]:
    receiver = Receiver(script=list(script or []), default=default)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
