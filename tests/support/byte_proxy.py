"""A TCP proxy on 127.0.0.1 that counts, cuts or corrupts the answers passing through it.

Each connection takes the next action of a plan (default "pass"), in the order the
connections arrive:

- "pass": everything goes through.
- ("cut", n): after n bytes of the answer (headers included) both sides are closed, as when
  the admin dies or the network goes in the middle of a download.
- ("hold", n): after n bytes of the answer nothing more goes to the client; ``held`` is set
  and the proxy waits until the server's side closes (the test kills the admin), then
  closes the client's connection.
- ("flip", k): byte k of the answer's body (counted after the blank line that ends the
  headers) is inverted on the way, as a broken router or a tampering middlebox would.

``answers`` maps each connection's number (0, 1, ... in arrival order) to (bytes of the answer
sent to the client, bytes of its body), once it has ended.
"""

from __future__ import annotations

import socket
import threading


class ByteProxy:
    """Forwards 127.0.0.1:port to 127.0.0.1:upstream, acting on answers by plan."""

    def __init__(self, upstream: int, plan: list | None = None):
        self.upstream = upstream
        self.plan = list(plan or [])
        self.answers: dict[int, tuple[int, int]] = {}
        self.count = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._closed = False
        self.held = threading.Event()
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
            with self._lock:
                action = self.plan.pop(0) if self.plan else "pass"
                number, self.count = self.count, self.count + 1
            threading.Thread(target=self._serve, args=(client, action, number),
                             daemon=True).start()

    def _serve(self, client: socket.socket, action, number: int) -> None:
        try:
            up = socket.create_connection(("127.0.0.1", self.upstream), timeout=30)
        except OSError:
            client.close()
            return
        threading.Thread(target=_pump, args=(client, up), daemon=True).start()
        sent, body_at, head = 0, None, b""
        try:
            while True:
                data = up.recv(65536)
                if not data:
                    break
                if body_at is None:
                    head += data
                    end = head.find(b"\r\n\r\n")
                    if end >= 0:
                        body_at = end + 4
                if isinstance(action, tuple) and action[0] == "flip" and body_at is not None:
                    index = body_at + action[1] - sent
                    if 0 <= index < len(data):
                        data = data[:index] + bytes([data[index] ^ 0xFF]) + data[index + 1:]
                if isinstance(action, tuple) and action[0] in ("cut", "hold") \
                        and sent + len(data) >= action[1]:
                    data = data[:action[1] - sent]
                    client.sendall(data)
                    sent += len(data)
                    if action[0] == "hold":
                        self.held.set()
                        while up.recv(65536):  # until the server dies
                            pass
                    break
                client.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self.answers[number] = (sent, max(0, sent - (body_at or sent)))
            for s in (client, up):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    """Copy the client's request to the server until either side closes."""
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
