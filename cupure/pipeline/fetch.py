"""The one network boundary: every outbound HTTP request cupure makes goes through here.

What it guarantees (SECURITY.md 3.6), whatever the caller does:

- only ``http``/``https``, on the first URL and on every redirect hop; no ``user:pass@``; no
  https -> http downgrade; at most ``max_redirects`` hops, followed by hand;
- the destination address is checked where the connection is made: a custom resolver refuses the
  whole answer if *any* address is not public, and the socket factory re-checks the exact address
  before ``connect()``, so DNS rebinding, redirects and literal IP hosts cannot slip past;
- one monotonic wall-clock deadline around the whole exchange (a server that drips one byte per
  second never trips idle timeouts, so those alone are not enough);
- a cap on *decompressed* bytes, with streamed decoding that stops at the cap (gzip bombs);
- environment proxies are ignored; TLS is always verified.

Limits come in as arguments (``FetchLimits``); nothing here reads settings.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.http_exceptions import HttpProcessingError
from yarl import URL

try:  # brotli is optional: only used when installed and when it can bound its output
    import brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

ALLOW_SETTING = "CUPURE_FETCH_ALLOW_CIDRS"
ERROR_KINDS = (
    "network",
    "timeout",
    "too_large",
    "encoding",
    "too_many_redirects",
    "bad_scheme",
    "bad_url",
    "blocked_destination",
    "tls",
    "protocol",
    "http_status",
    "empty_body",
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
RETRY_AFTER_CAP_SECONDS = 24 * 3600
_CHUNK_SIZE = 64 * 1024
_BROTLI_BOUNDED = brotli is not None and hasattr(brotli.Decompressor, "can_accept_more_data")
_FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True)
class FetchLimits:
    deadline_seconds: float = 20.0  # total wall clock for the whole exchange, redirects included
    connect_timeout: float = 5.0
    idle_timeout: float = 10.0  # longest silence between two reads
    max_bytes: int = 10 * 1024 * 1024  # after decompression
    max_redirects: int = 5
    allow_cidrs: tuple[str, ...] = ()  # admin allow-list (CUPURE_FETCH_ALLOW_CIDRS)
    user_agent: str = "cupure/0.1"
    accept: str = _FEED_ACCEPT
    extra_ca_file: str | None = None  # admin-supplied CA bundle, added to the system trust store


@dataclass
class FetchResult:
    url: str  # final URL after redirects
    status: int
    headers: dict[str, str]  # lower-cased names; repeated headers joined with ", "
    body: bytes  # decompressed; b"" on 304
    etag: str | None
    last_modified: str | None
    not_modified: bool
    permanent_redirect: str | None  # set when every hop was 301/308: the caller may store it
    elapsed: float


@dataclass(frozen=True)
class FetchRequest:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    accept: str | None = None
    max_bytes: int | None = None  # overrides FetchLimits.max_bytes for this request


class FetchError(Exception):
    """A fetch that did not produce a usable response; ``kind`` is one of ``ERROR_KINDS``."""

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        url: str,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.url = url
        self.status = status
        self.headers: dict[str, str] = dict(headers or {})

    def __repr__(self) -> str:
        return (
            f"FetchError(kind={self.kind!r}, status={self.status!r}, url={self.url!r}, message={str(self)!r})"
        )


# --------------------------------------------------------------------------- destination policy

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.IGNORECASE)


def embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses a v6 address tunnels to (mapped, compatible, NAT64, 6to4, Teredo)."""
    if ip.version == 4:
        return []
    assert isinstance(ip, ipaddress.IPv6Address)
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def _is_public(ip: IPAddress) -> bool:
    return ip.is_global and not ip.is_multicast and ip not in _CGNAT


def describe_address(ip: IPAddress) -> str:
    """A word an operator understands for why an address is refused."""
    embedded = embedded_ipv4(ip)
    target: IPAddress = embedded[0] if embedded else ip
    for label, test in (
        ("unspecified", target.is_unspecified),
        ("loopback", target.is_loopback),
        ("link-local (cloud metadata)", target.is_link_local),
        ("shared CGNAT", target in _CGNAT),
        ("multicast", target.is_multicast),
        ("private", target.is_private),
    ):
        if test:
            return label
    return "reserved" if not _is_public(target) else "tunnelled"


class AddressPolicy:
    """Public addresses only, unless the admin allow-list names the range."""

    def __init__(self, allow_cidrs: Sequence[str] = ()) -> None:
        self.allow = tuple(ipaddress.ip_network(cidr, strict=False) for cidr in allow_cidrs)

    def _allow_listed(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self.allow)

    def allows(self, ip: IPAddress) -> bool:
        embedded = embedded_ipv4(ip)
        if any(self._allow_listed(candidate) for candidate in [ip, *embedded]):
            return True
        # A tunnel address is only as public as what it reaches; Python calls every 6to4/Teredo
        # address non-global, so judge those by the embedded IPv4 alone.
        return all(_is_public(candidate) for candidate in embedded) if embedded else _is_public(ip)


class BlockedAddressError(OSError):
    """Raised inside the resolver or socket factory; an OSError so aiohttp carries it through."""

    def __init__(self, host: str, ips: Sequence[IPAddress], policy: AddressPolicy) -> None:
        self.host = host
        self.refused = [ip for ip in ips if not policy.allows(ip)]
        super().__init__(blocked_message(host, self.refused))


def blocked_message(host: str, refused: Sequence[IPAddress]) -> str:
    what = ", ".join(f"{ip} ({describe_address(ip)})" for ip in refused) or "no address"
    literal = parse_ip_literal(host)
    named = (
        f"{host} is {what}" if literal is not None and literal in refused else f"{host} resolves to {what}"
    )
    return (
        f"blocked destination: {named}, which is not a public address. "
        f"An administrator can allow it by adding the range to {ALLOW_SETTING}."
    )


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host names by itself, in any notation a resolver would accept
    (``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``, ``[::ffff:7f00:1]``)."""
    bare = host.strip("[]").split("%")[0]
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(bare):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare.rstrip(".")))
        except OSError:
            return None
    return None


def _ip_from_sockaddr(address: tuple[Any, ...]) -> IPAddress:
    return ipaddress.ip_address(str(address[0]).split("%")[0])


class GuardedResolver(AbstractResolver):
    """Resolves through ``socket.getaddrinfo`` and refuses the answer if any address is not allowed."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_UNSPEC
    ) -> list[ResolveResult]:
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, family=family)
        ips = [_ip_from_sockaddr(info[4]) for info in infos]
        if not ips or not all(self.policy.allows(ip) for ip in ips):
            raise BlockedAddressError(host, ips, self.policy)
        flags = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV
        return [
            ResolveResult(hostname=host, host=str(ip), port=port, family=info[0], proto=info[2], flags=flags)
            for ip, info in zip(ips, infos, strict=True)
        ]

    async def close(self) -> None:
        return None


def guarded_socket_factory(policy: AddressPolicy) -> Callable[[Any], socket.socket]:
    """The last check, on the exact address about to be connected (also covers literal IP hosts,
    which aiohttp never sends through the resolver)."""

    def factory(addr_info: Any) -> socket.socket:
        family, type_, proto, _, address = addr_info
        ip = _ip_from_sockaddr(address)
        if not policy.allows(ip):
            raise BlockedAddressError(str(ip), [ip], policy)
        return socket.socket(family=family, type=type_, proto=proto)

    return factory


# --------------------------------------------------------------------------- URL checks


def check_url(url: str, *, policy: AddressPolicy, previous: URL | None = None) -> URL:
    """Validate a URL before any I/O: scheme, userinfo, host, downgrade and literal-IP hosts."""
    try:
        parsed = URL(url) if previous is None else previous.join(URL(url))
    except (ValueError, TypeError) as exc:
        raise FetchError("bad_url", f"not a valid URL: {url!r} ({exc})", url=url) from exc
    scheme = parsed.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            "bad_scheme", f"refused URL scheme {scheme or 'none'!r}: only http and https", url=url
        )
    if previous is not None and previous.scheme == "https" and scheme == "http":
        raise FetchError(
            "bad_scheme", f"refused redirect from https to plain http ({parsed})", url=str(parsed)
        )
    if parsed.user is not None or parsed.password is not None:
        raise FetchError("bad_url", "refused URL with credentials (user:password@)", url=str(parsed))
    host = parsed.raw_host or ""
    if not host or not re.fullmatch(r"[A-Za-z0-9._:\[\]-]+", host):
        raise FetchError("bad_url", f"refused URL host {host!r}", url=str(parsed))
    literal = parse_ip_literal(host)
    if literal is not None and not policy.allows(literal):
        raise FetchError("blocked_destination", blocked_message(host, [literal]), url=str(parsed))
    if _is_localhost_name(host) and not policy.allows(ipaddress.ip_address("127.0.0.1")):
        message = blocked_message(host, [ipaddress.ip_address("127.0.0.1")])
        raise FetchError("blocked_destination", message, url=str(parsed))
    return parsed


def _is_localhost_name(host: str) -> bool:
    """RFC 6761: ``localhost`` and ``*.localhost`` always mean this machine, whatever DNS says."""
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


# --------------------------------------------------------------------------- sessions


@functools.lru_cache(maxsize=8)
def _ssl_context(extra_ca_file: str | None) -> ssl.SSLContext:
    """Loading the system trust store costs ~50 ms, so contexts are built once and shared
    (an SSLContext is safe to share between sessions; it is never modified after this)."""
    context = ssl.create_default_context()
    if extra_ca_file:
        context.load_verify_locations(cafile=extra_ca_file)
    return context


class FetchSession:
    """A guarded aiohttp session: use ``async with FetchSession(limits) as session``.

    The address policy (allow-list) is fixed per session; the other limits apply per request.
    One session per batch lets keep-alive connections be reused across feeds of one host.
    """

    def __init__(self, limits: FetchLimits, *, per_host: int = 2, concurrency: int = 20) -> None:
        self.limits = limits
        self.policy = AddressPolicy(limits.allow_cidrs)
        self.per_host = per_host
        self.concurrency = concurrency
        self._client: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> FetchSession:
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self.policy),
            socket_factory=guarded_socket_factory(self.policy),
            use_dns_cache=False,  # resolve for every connection: the check must see the answer used
            limit=self.concurrency,
            limit_per_host=self.per_host,
            ssl=_ssl_context(self.limits.extra_ca_file),
        )
        self._client = aiohttp.ClientSession(
            connector=connector,
            trust_env=False,  # HTTP_PROXY & co. must not reroute fetches (SECURITY.md A17)
            auto_decompress=False,  # we decode ourselves, with an output cap
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=self.limits.connect_timeout, sock_read=self.limits.idle_timeout
            ),
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    @property
    def client(self) -> aiohttp.ClientSession:
        if self._client is None:
            raise RuntimeError("FetchSession is not open; use 'async with FetchSession(limits)'")
        return self._client


# --------------------------------------------------------------------------- body decoding


class _TooLarge(Exception):
    pass


class _BadEncoding(Exception):
    pass


def _encoding_of(headers: Mapping[str, str]) -> str:
    layers = [part.strip().lower() for part in headers.get("content-encoding", "").split(",") if part.strip()]
    layers = [layer for layer in layers if layer != "identity"]
    if len(layers) > 1:
        raise _BadEncoding(f"refused {len(layers)} stacked content encodings ({', '.join(layers[:5])})")
    encoding = layers[0] if layers else "identity"
    supported = {"identity", "gzip", "x-gzip", "deflate"} | ({"br"} if _BROTLI_BOUNDED else set())
    if encoding not in supported:
        raise _BadEncoding(f"unsupported content encoding {encoding!r}")
    return encoding


def accept_encoding() -> str:
    return "gzip, deflate, br" if _BROTLI_BOUNDED else "gzip, deflate"


class BodyDecoder:
    """Streams one content-encoding layer and stops as soon as the output passes ``max_bytes``."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        self.encoding = encoding
        self.room = max_bytes
        self._zlib: Any = None
        self._pending = b""  # first bytes of a deflate stream, until we can tell zlib from raw
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "br":
            self._brotli = brotli.Decompressor()

    def _take(self, out: bytes) -> bytes:
        if len(out) > self.room:
            raise _TooLarge
        self.room -= len(out)
        return out

    def feed(self, data: bytes) -> bytes:
        if self.encoding == "identity":
            return self._take(data)
        if self.encoding == "br":
            return self._take(self._brotli.process(data, output_buffer_limit=self.room + 1))
        if self._zlib is None:  # deflate: "zlib" per the RFC, raw deflate from some servers
            self._pending += data
            if len(self._pending) < 2:
                return b""
            data, self._pending = self._pending, b""
            is_zlib = data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if is_zlib else -zlib.MAX_WBITS)
        if self._zlib.eof:
            return b""  # trailing bytes after the stream end are ignored, never inflated
        try:
            # max_length bounds this call's output, so one small chunk cannot inflate to gigabytes
            return self._take(self._zlib.decompress(data, self.room + 1))
        except zlib.error as exc:
            raise _BadEncoding(f"corrupt {self.encoding} body: {exc}") from exc

    def finish(self) -> bytes:
        if self.encoding == "identity":
            return b""
        if self.encoding == "br":
            if not self._brotli.is_finished():
                raise _BadEncoding("truncated br body")
            return b""
        if self._zlib is None or not self._zlib.eof:
            raise _BadEncoding(f"truncated {self.encoding} body")
        return b""


async def _read_body(response: aiohttp.ClientResponse, headers: Mapping[str, str], max_bytes: int) -> bytes:
    decoder = BodyDecoder(_encoding_of(headers), max_bytes)
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _TooLarge
    parts: list[bytes] = []
    try:
        async for chunk in response.content.iter_chunked(_CHUNK_SIZE):
            parts.append(decoder.feed(chunk))
    except (aiohttp.ClientPayloadError, aiohttp.ClientResponseError, HttpProcessingError) as exc:
        # the headers were fine; the body broke off or was framed wrongly (bad chunk, reset)
        message = f"incomplete or malformed body: {_short(getattr(exc, 'message', exc))}"
        raise FetchError("network", message, url=str(response.url)) from exc
    parts.append(decoder.finish())
    return b"".join(parts)


# --------------------------------------------------------------------------- the exchange


def _flatten_headers(response: aiohttp.ClientResponse) -> dict[str, str]:
    flat: dict[str, str] = {}
    for name in response.headers:
        key = name.lower()
        if key not in flat:
            flat[key] = ", ".join(response.headers.getall(name))
    return flat


def _request_headers(limits: FetchLimits, request: FetchRequest) -> dict[str, str]:
    headers = {
        "User-Agent": limits.user_agent,
        "Accept": request.accept or limits.accept,
        "Accept-Encoding": accept_encoding(),
    }
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    return headers


@dataclass
class _Hop:
    url: URL
    permanent_only: bool = True
    redirects: int = 0


async def _follow(
    session: FetchSession, request: FetchRequest, limits: FetchLimits, started: float
) -> FetchResult:
    hop = _Hop(check_url(request.url, policy=session.policy))
    headers = _request_headers(limits, request)
    while True:
        async with session.client.get(hop.url, headers=headers, allow_redirects=False) as response:
            flat = _flatten_headers(response)
            if response.status in REDIRECT_STATUSES:
                _next_hop(hop, response.status, flat, session.policy, limits)
                continue
            return await _finish(response, flat, hop, request, limits, started)


def _next_hop(
    hop: _Hop, status: int, headers: Mapping[str, str], policy: AddressPolicy, limits: FetchLimits
) -> None:
    location = headers.get("location", "").strip()
    if not location:
        raise FetchError("protocol", f"HTTP {status} redirect without a Location header", url=str(hop.url))
    if hop.redirects >= limits.max_redirects:
        raise FetchError(
            "too_many_redirects",
            f"more than {limits.max_redirects} redirects (next: {_short(location)})",
            url=str(hop.url),
        )
    hop.url = check_url(location, policy=policy, previous=hop.url)
    hop.redirects += 1
    hop.permanent_only = hop.permanent_only and status in PERMANENT_REDIRECTS


async def _finish(
    response: aiohttp.ClientResponse,
    headers: dict[str, str],
    hop: _Hop,
    request: FetchRequest,
    limits: FetchLimits,
    started: float,
) -> FetchResult:
    url = str(hop.url)
    if response.status >= 400:
        raise FetchError(
            "http_status",
            f"HTTP {response.status} {_short(response.reason or '', 80)}".strip(),
            url=url,
            status=response.status,
            headers=headers,
        )
    not_modified = response.status == 304
    body = b"" if not_modified else await _read_body(response, headers, request.max_bytes or limits.max_bytes)
    if not body and not not_modified:
        raise FetchError(
            "empty_body", f"HTTP {response.status} with an empty body", url=url, status=response.status
        )
    return FetchResult(
        url=url,
        status=response.status,
        headers=headers,
        body=body,
        # on 304 the stored validators stay valid unless the server sent new ones
        etag=headers.get("etag", request.etag if not_modified else None),
        last_modified=headers.get("last-modified", request.last_modified if not_modified else None),
        not_modified=not_modified,
        permanent_redirect=url if hop.redirects and hop.permanent_only else None,
        elapsed=time.monotonic() - started,
    )


def _blocked_cause(exc: BaseException) -> BlockedAddressError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, BlockedAddressError):
            return seen
        os_error = getattr(seen, "os_error", None)
        if isinstance(os_error, BlockedAddressError):
            return os_error
        seen = seen.__cause__ or seen.__context__
    return None


def _short(text: object, limit: int = 200) -> str:
    """Peer-controlled text (a huge header line) must not flood the operator's error column."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


def _classify(exc: BaseException, url: str, limits: FetchLimits) -> FetchError:
    """Map whatever aiohttp, ssl or the OS raised onto one of ``ERROR_KINDS``."""
    blocked = _blocked_cause(exc)
    if blocked is not None:
        return FetchError("blocked_destination", str(blocked), url=url)
    if isinstance(exc, TimeoutError):
        return FetchError(
            "timeout", f"no complete response within the {limits.deadline_seconds:g} s deadline", url=url
        )
    if isinstance(exc, (aiohttp.ClientSSLError, ssl.SSLError, ssl.CertificateError)):
        return FetchError("tls", f"TLS failure: {_short(exc)}", url=url)
    if isinstance(exc, aiohttp.InvalidURL):
        return FetchError("bad_url", f"invalid URL: {_short(exc)}", url=url)
    if isinstance(exc, (aiohttp.ClientResponseError, HttpProcessingError)):  # bad status line or headers
        return FetchError("protocol", f"malformed HTTP response: {_short(exc.message)}", url=url)
    if isinstance(exc, aiohttp.ClientPayloadError):
        return FetchError("network", f"incomplete or malformed body: {_short(exc)}", url=url)
    return FetchError("network", f"{type(exc).__name__}: {_short(exc)}", url=url)


async def _fetch_request(session: FetchSession, request: FetchRequest, limits: FetchLimits) -> FetchResult:
    started = time.monotonic()
    try:
        async with asyncio.timeout(limits.deadline_seconds):
            return await _follow(session, request, limits, started)
    except FetchError:
        raise
    except _TooLarge:
        cap = request.max_bytes or limits.max_bytes
        raise FetchError(
            "too_large", f"body larger than {cap} bytes (after decompression)", url=request.url
        ) from None
    except _BadEncoding as exc:
        raise FetchError("encoding", str(exc), url=request.url) from None
    except (aiohttp.ClientError, HttpProcessingError, OSError, TimeoutError, ValueError) as exc:
        raise _classify(exc, request.url, limits) from exc


# --------------------------------------------------------------------------- public API


async def fetch_async(
    session: FetchSession | None,
    url: str,
    *,
    limits: FetchLimits,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    max_bytes: int | None = None,
) -> FetchResult:
    """Fetch one URL. Pass an open ``FetchSession`` to reuse connections, or None for a one-off."""
    request = FetchRequest(url, etag=etag, last_modified=last_modified, accept=accept, max_bytes=max_bytes)
    if session is not None:
        if not isinstance(session, FetchSession):
            raise TypeError("fetch_async needs a FetchSession (a plain aiohttp session has no address guard)")
        return await _fetch_request(session, request, limits)
    async with FetchSession(limits, concurrency=1) as own:
        return await _fetch_request(own, request, limits)


def fetch(
    url: str,
    *,
    limits: FetchLimits,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    max_bytes: int | None = None,
) -> FetchResult:
    """Blocking wrapper around ``fetch_async`` (not for use inside a running event loop)."""
    return asyncio.run(
        fetch_async(
            None,
            url,
            limits=limits,
            etag=etag,
            last_modified=last_modified,
            accept=accept,
            max_bytes=max_bytes,
        )
    )


def _host_key(url: str) -> str:
    try:
        return (URL(url).host or url).lower()
    except (ValueError, TypeError):
        return url


async def fetch_many(
    requests: Sequence[FetchRequest], *, limits: FetchLimits, per_host: int = 2, concurrency: int = 20
) -> list[FetchResult | FetchError]:
    """Fetch many URLs over one session: results in input order, at most ``per_host`` at a time
    per host and ``concurrency`` overall. Each request's deadline starts when it leaves the queue."""
    host_gates: defaultdict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
    overall = asyncio.Semaphore(concurrency)

    async def one(session: FetchSession, request: FetchRequest) -> FetchResult | FetchError:
        # the host gate comes first, so a request queued behind its host holds no global slot
        async with host_gates[_host_key(request.url)], overall:
            try:
                return await _fetch_request(session, request, limits)
            except FetchError as exc:
                return exc

    async with FetchSession(limits, per_host=per_host, concurrency=concurrency) as session:
        return list(await asyncio.gather(*(one(session, request) for request in requests)))


def fetch_many_sync(
    requests: Sequence[FetchRequest], *, limits: FetchLimits, per_host: int = 2, concurrency: int = 20
) -> list[FetchResult | FetchError]:
    return asyncio.run(fetch_many(requests, limits=limits, per_host=per_host, concurrency=concurrency))


async def validate_destination_async(url: str, *, limits: FetchLimits) -> None:
    """Check a URL as a subscription form would (scheme, host, every DNS answer) without connecting.

    This is advice for a friendly error message only: the fetch re-checks at connect time."""
    policy = AddressPolicy(limits.allow_cidrs)
    parsed = check_url(url, policy=policy)
    if parse_ip_literal(parsed.raw_host or "") is not None:
        return
    try:
        await GuardedResolver(policy).resolve(parsed.raw_host or "", parsed.port or 0)
    except BlockedAddressError as exc:
        raise FetchError("blocked_destination", str(exc), url=url) from None
    except OSError as exc:
        raise FetchError("network", f"cannot resolve {parsed.raw_host}: {exc}", url=url) from exc


def validate_destination(url: str, *, limits: FetchLimits) -> None:
    asyncio.run(validate_destination_async(url, limits=limits))


# --------------------------------------------------------------------------- politeness headers


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def retry_after_seconds(headers: Mapping[str, str], now: datetime) -> int | None:
    """Seconds to wait from a ``Retry-After`` header (delay or HTTP-date), capped at 24 h.
    Garbage or negative values give None, so the caller falls back to its own backoff."""
    raw = (_header(headers, "retry-after") or "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return min(int(raw), RETRY_AFTER_CAP_SECONDS)
    when = _http_date(raw)
    if when is None:
        return None
    return int(min(max((when - now).total_seconds(), 0), RETRY_AFTER_CAP_SECONDS))


def cache_lifetime_seconds(headers: Mapping[str, str], now: datetime) -> int | None:
    """How long the response says it stays fresh: ``Cache-Control: max-age`` first (RFC 9111
    5.3), else ``Expires``. An invalid Expires (including ``0``) means no lifetime (None)."""
    directives = [part.strip().lower() for part in (_header(headers, "cache-control") or "").split(",")]
    for directive in directives:
        name, _, value = directive.partition("=")
        if name.strip() == "max-age":
            value = value.strip().strip('"')
            return int(value) if value.isdigit() else None
    expires = _header(headers, "expires")
    when = _http_date(expires.strip()) if expires else None
    if when is None:
        return None
    return int(max((when - now).total_seconds(), 0))
