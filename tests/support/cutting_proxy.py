"""A TCP proxy on 127.0.0.1 that cuts chosen connections, for the sync tests.

Each connection that reaches the server gets the next action from a plan (default "pass"):

- "pass": the request goes to the server and the answer back.
- "drop_answer": the whole request reaches the server (which stores the batch), then the
  connection to the kiosk is closed before any answer: the kiosk cannot know it was stored.
- "cut_request": only half the request reaches the server, then both sides are closed.
- "hold": half the request reaches the server; `held` is set and the proxy waits until the
  server side dies (the test kills the server), then closes the kiosk's connection.
"""

from __future__ import annotations

import socket
import threading


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class CuttingProxy:
    """Forwards 127.0.0.1:port to 127.0.0.1:upstream, cutting connections by plan."""

    def __init__(self, upstream: int, plan: dict[int, str]):
        self.upstream = upstream
        self.plan = dict(plan)
        self.count = 0
        self.done: dict[str, int] = {}
        self.held = threading.Event()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        """Stop accepting."""
        self._closed = True
        self._sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            request = _read_request(client)
            try:
                up = socket.create_connection(("127.0.0.1", self.upstream), timeout=30)
            except OSError:
                self._did("server_down")  # the kiosk sees its connection closed
                return
            with self._lock:  # the plan counts the connections that reached the server
                self.count += 1
                action = self.plan.get(self.count, "pass")
            with up:
                if action in ("cut_request", "hold"):
                    up.sendall(request[: len(request) // 2])
                    if action == "hold":
                        self.held.set()
                        up.settimeout(60)
                        try:
                            while up.recv(65536):
                                pass
                        except OSError:
                            pass
                    self._did(action)
                    return
                up.sendall(request)
                answer = b""
                while True:
                    chunk = up.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
                if action == "drop_answer":
                    self._did(action)
                    return
                client.sendall(answer)
                self._did("pass")
        except OSError:
            pass
        finally:
            client.close()

    def _did(self, action: str) -> None:
        with self._lock:
            self.done[action] = self.done.get(action, 0) + 1
