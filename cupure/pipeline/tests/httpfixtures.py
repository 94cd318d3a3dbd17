"""Real HTTP peers on 127.0.0.1 for tests (SECURITY.md section 10): no mocks of the fetcher.

- ``FixtureHTTPServer``: a threaded stdlib server where a test registers routes
  (``server.add("/feed.xml", body)``) and reads back hits, request headers and the most requests
  it saw in flight at once.
- ``FaultServer``: a raw asyncio TCP peer that misbehaves on purpose (stall, drip, endless body,
  lying Content-Length, huge headers, bad chunking, connection reset).
- ``DnsMock``: a fake ``socket.getaddrinfo`` table plus a ``connect`` spy that raises instead of
  ever opening a connection to a non-loopback address.
- ``make_test_certificates``: a throwaway CA and server certificates made with the ``openssl`` CLI.

Everything binds 127.0.0.x on port 0 and stops by itself at teardown.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cupure.pipeline.fetch import FetchLimits

LOOPBACK_CIDRS = ("127.0.0.0/8", "::1/128")
BodySource = bytes | Callable[[], Iterable[bytes]]


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: BodySource = b""
    delay: float = 0.0  # seconds to wait before answering (to hold requests in flight)


class _Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: defaultdict[str, int] = defaultdict(int)
        self.requests: defaultdict[str, list[dict[str, str]]] = defaultdict(list)
        self.in_flight: defaultdict[str, int] = defaultdict(int)
        self.max_in_flight: defaultdict[str, int] = defaultdict(int)
        self.total_in_flight = 0
        self.max_total_in_flight = 0

    def enter(self, path: str, headers: dict[str, str]) -> None:
        with self.lock:
            self.hits[path] += 1
            self.requests[path].append(headers)
            self.in_flight[path] += 1
            self.max_in_flight[path] = max(self.max_in_flight[path], self.in_flight[path])
            self.total_in_flight += 1
            self.max_total_in_flight = max(self.max_total_in_flight, self.total_in_flight)

    def leave(self, path: str) -> None:
        with self.lock:
            self.in_flight[path] -= 1
            self.total_in_flight -= 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real feed hosts
    server: _Server
    timeout = 5  # idle keep-alive connections end by themselves

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return None  # keep test output clean

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        owner = self.server.owner
        path = self.path
        route = owner.routes.get(path) or owner.routes.get(path.split("?")[0])
        key = path if path in owner.routes else path.split("?")[0]
        owner.stats.enter(key, {name.lower(): value for name, value in self.headers.items()})
        try:
            if route is None:
                route = Route(status=404, headers={"Content-Type": "text/plain"}, body=b"not found")
            if route.delay:
                threading.Event().wait(route.delay)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError):
                self._send(route, send_body=send_body)
        finally:
            owner.stats.leave(key)

    def _send(self, route: Route, *, send_body: bool) -> None:
        self.send_response(route.status)
        names = {name.lower() for name in route.headers}
        for name, value in route.headers.items():
            self.send_header(name, value)
        if isinstance(route.body, bytes):
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if send_body:
                self.wfile.write(route.body)
            return
        chunked = "content-length" not in names
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if send_body:
            self._stream(route.body(), chunked=chunked)

    def _stream(self, chunks: Iterable[bytes], *, chunked: bool) -> None:
        for chunk in chunks:
            if not chunk:
                continue
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: FixtureHTTPServer


class FixtureHTTPServer:
    """A real HTTP server on a loopback address. Typical use::

    server.add("/feed.xml", b"<rss .../>", headers={"Content-Type": "application/rss+xml"})
    result = fetch(server.url("/feed.xml"), limits=server.limits)
    assert server.hits("/feed.xml") == 1
    """

    def __init__(self, host: str = "127.0.0.1", *, tls: tuple[Path, Path] | None = None) -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.stats = _Stats()
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.owner = self
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            # handshake in the connection's own thread, so a refused handshake never blocks accept()
            self._httpd.socket = context.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
            self.scheme = "https"
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01})
        self._thread.daemon = True

    # -- lifecycle
    def start(self) -> FixtureHTTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FixtureHTTPServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- routes
    def add(
        self,
        path: str,
        body: BodySource = b"",
        status: int = 200,
        headers: dict[str, str] | None = None,
        *,
        delay: float = 0.0,
    ) -> str:
        """Serve ``body`` (bytes, or a callable returning an iterable of chunks, sent chunked) at
        ``path``; returns the full URL."""
        self.routes[path] = Route(status=status, headers=dict(headers or {}), body=body, delay=delay)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        return self.add(path, b"", status=status, headers={"Location": to})

    # -- reading back
    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def hits(self, path: str | None = None) -> int:
        with self.stats.lock:
            return sum(self.stats.hits.values()) if path is None else self.stats.hits[path]

    def requests(self, path: str) -> list[dict[str, str]]:
        """Headers (lower-cased names) of every request seen at ``path``, oldest first."""
        with self.stats.lock:
            return list(self.stats.requests[path])

    def max_concurrent(self, path: str | None = None) -> int:
        with self.stats.lock:
            return self.stats.max_total_in_flight if path is None else self.stats.max_in_flight[path]

    @property
    def limits(self) -> FetchLimits:
        """Fetch limits that admit loopback addresses (the admin allow-list), with a short deadline."""
        return FetchLimits(allow_cidrs=LOOPBACK_CIDRS, deadline_seconds=5.0)


def gzip_bomb(total_bytes: int, *, chunk: int = 1 << 20) -> Callable[[], Iterator[bytes]]:
    """A gzip stream of ``total_bytes`` zeros, compressed lazily as it is sent (~1000:1), so the
    server never holds the inflated size and stops when the client hangs up."""

    def chunks() -> Iterator[bytes]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = bytes(chunk)
        for _ in range(total_bytes // chunk):
            yield compressor.compress(zeros)
        yield compressor.flush()

    return chunks


# --------------------------------------------------------------------------- faultsrv


class FaultServer:
    """A raw TCP peer on 127.0.0.1 that misbehaves according to the request path:

    ``/stall`` never answers; ``/drip`` sends headers then one body byte per ``drip_interval``;
    ``/dripheaders`` drips the header block itself; ``/infinite`` an endless chunked body;
    ``/liar-short`` claims 1000 bytes, sends 9 and closes; ``/liar-long`` claims 100 and sends 1 MiB;
    ``/hugeheader`` a 1 MB header line; ``/manyheaders`` 100k headers; ``/badchunk`` a malformed
    chunk size; ``/rst`` resets the connection mid-body (SO_LINGER 0).
    """

    def __init__(self, drip_interval: float = 0.2) -> None:
        self.drip_interval = drip_interval
        self.port = 0
        self.connections = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    def start(self) -> FaultServer:
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("fault server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._track, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        await self._stop.wait()
        server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _track(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        self.connections += 1
        try:
            await self._handle(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        path = head.split()[1].decode("latin-1")
        mode = path.split("?")[0].strip("/")
        handler = getattr(self, f"_mode_{mode.replace('-', '_')}", None)
        if handler is None:
            writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            return
        await handler(writer)

    @staticmethod
    async def _send(writer: asyncio.StreamWriter, data: bytes) -> None:
        if writer.transport.is_closing():  # the client hung up: stop instead of writing into the void
            raise ConnectionResetError("client went away")
        writer.write(data)
        await writer.drain()

    async def _mode_stall(self, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(3600)

    async def _mode_drip(self, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n")
        while True:
            await self._send(writer, b" ")
            await asyncio.sleep(self.drip_interval)

    async def _mode_dripheaders(self, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while True:
            await self._send(writer, b"a")
            await asyncio.sleep(self.drip_interval)

    async def _mode_infinite(self, writer: asyncio.StreamWriter) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"<x/>" * 16384
        while True:
            await self._send(writer, b"%x\r\n%s\r\n" % (len(chunk), chunk))

    async def _mode_liar_short(self, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<rss>abcd")
        await writer.drain()

    async def _mode_liar_long(self, writer: asyncio.StreamWriter) -> None:
        body = b"<rss>" + b"a" * 90 + b"</rss>"  # 101 bytes; the header says 100
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + body + b"b" * (1 << 20))
        await writer.drain()

    async def _mode_hugeheader(self, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nX-Huge: " + b"a" * 1_000_000 + b"\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()

    async def _mode_manyheaders(self, writer: asyncio.StreamWriter) -> None:
        await self._send(writer, b"HTTP/1.1 200 OK\r\n")
        for block in range(100):
            await self._send(writer, b"".join(b"X-H%d: v\r\n" % (block * 1000 + n) for n in range(1000)))
        await self._send(writer, b"Content-Length: 2\r\n\r\nok")

    async def _mode_badchunk(self, writer: asyncio.StreamWriter) -> None:
        await self._send(writer, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<rss>\r\n")
        await asyncio.sleep(0.05)  # let the client start on the body first
        await self._send(writer, b"zz\r\nnope\r\n")
        await asyncio.sleep(0.2)

    async def _mode_rst(self, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<rss>" + b"a" * 1000)
        await writer.drain()
        await asyncio.sleep(0.05)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()


# --------------------------------------------------------------------------- dnsmock

_LOOPBACK_NETS = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def is_loopback_sockaddr(address: Any) -> bool:
    try:
        ip = ipaddress.ip_address(str(address[0]).split("%")[0])
    except (ValueError, IndexError, TypeError):
        return False  # a Unix socket path or anything odd: not ours to allow
    return any(ip.version == net.version and ip in net for net in _LOOPBACK_NETS)


class NonLoopbackConnect(AssertionError):
    """Raised by the connect spy: buggy code tried to open a connection off this machine."""


@dataclass
class DnsMock:
    """``table[name] = ["10.0.0.1", ...]`` answers a lookup; an iterator of lists answers
    successive lookups (rebinding). Unknown names fall through to the real resolver, so
    ``localhost`` still works. ``connects`` lists every address a socket tried to connect to."""

    table: dict[str, Any] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    connects: list[tuple[Any, ...]] = field(default_factory=list)

    def non_loopback_connects(self) -> list[tuple[Any, ...]]:
        return [address for address in self.connects if not is_loopback_sockaddr(address)]

    def answer(self, host: str, port: Any) -> list[tuple[Any, ...]] | None:
        key = host.decode() if isinstance(host, bytes) else str(host)
        entry = self.table.get(key, self.table.get(key.lower().rstrip(".")))
        if entry is None:
            return None
        self.lookups.append(key)
        ips = next(entry) if isinstance(entry, Iterator) else entry
        port_number = int(port or 0)
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port_number, 0, 0))
            if ":" in ip
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port_number))
            for ip in ips
        ]


def install_dnsmock(monkeypatch: Any) -> DnsMock:
    """Patch ``socket.getaddrinfo`` and ``socket.socket.connect``/``connect_ex`` for one test."""
    mock = DnsMock()
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def fake_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        answer = mock.answer(host, port)
        return answer if answer is not None else real_getaddrinfo(host, port, *args, **kwargs)

    def guard(address: Any) -> None:
        mock.connects.append(tuple(address) if isinstance(address, tuple) else (address,))
        if not is_loopback_sockaddr(address):
            raise NonLoopbackConnect(f"test tried to connect to non-loopback address {address!r}")

    def spy_connect(self: socket.socket, address: Any) -> None:
        guard(address)
        return real_connect(self, address)

    def spy_connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", spy_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", spy_connect_ex)
    return mock


# --------------------------------------------------------------------------- certificates


@dataclass(frozen=True)
class TestCertificates:
    __test__ = False  # not a pytest test class

    ca: Path  # trust this one via FetchLimits(extra_ca_file=...)
    good: tuple[Path, Path]  # cert, key for 127.0.0.1 / localhost, signed by ``ca``
    wrong_host: tuple[Path, Path]  # signed by ``ca`` for other.test only
    self_signed: tuple[Path, Path]  # for 127.0.0.1, signed by nobody we trust


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=30)


def _new_key(path: Path) -> None:
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", str(path))


def _signed_leaf(folder: Path, name: str, san: str, ca: tuple[Path, Path]) -> tuple[Path, Path]:
    key, csr, cert, ext = (folder / f"{name}.{suffix}" for suffix in ("key", "csr", "pem", "ext"))
    _new_key(key)
    _openssl("req", "-new", "-key", str(key), "-out", str(csr), "-subj", f"/CN={name}")
    ext.write_text(
        f"subjectAltName={san}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    _openssl(
        "x509", "-req", "-in", str(csr), "-CA", str(ca[0]), "-CAkey", str(ca[1]), "-CAcreateserial",
        "-out", str(cert), "-days", "2", "-extfile", str(ext),
    )  # fmt: skip
    return cert, key


def _self_signed(folder: Path, name: str, extensions: list[str]) -> tuple[Path, Path]:
    key, cert = folder / f"{name}.key", folder / f"{name}.pem"
    _new_key(key)
    ext_args = [arg for extension in extensions for arg in ("-addext", extension)]
    _openssl(
        "req", "-x509", "-key", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={name}", *ext_args
    )
    return cert, key


def make_test_certificates(folder: Path) -> TestCertificates:
    """A CA, a good server certificate, a wrong-host one and an untrusted self-signed one."""
    ca = _self_signed(
        folder,
        "cupure-test-ca",
        ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"],
    )
    return TestCertificates(
        ca=ca[0],
        good=_signed_leaf(folder, "localhost", "IP:127.0.0.1,DNS:localhost", ca),
        wrong_host=_signed_leaf(folder, "other", "DNS:other.test", ca),
        self_signed=_self_signed(folder, "selfsigned", ["subjectAltName=IP:127.0.0.1"]),
    )


def closed_port() -> int:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
