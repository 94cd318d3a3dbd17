"""The network boundary against real loopback servers (SECURITY.md 3.6 and checklist 9.A).

Nothing here mocks the fetcher: misbehaving peers are real sockets on 127.0.0.x, and names that
would point off this machine go through ``dnsmock``, whose connect spy raises before any packet.
"""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from cupure.pipeline.fetch import (
    ALLOW_SETTING,
    AddressPolicy,
    FetchError,
    FetchLimits,
    FetchRequest,
    FetchResult,
    cache_lifetime_seconds,
    fetch,
    fetch_async,
    fetch_many_sync,
    parse_ip_literal,
    retry_after_seconds,
    validate_destination,
)
from cupure.pipeline.tests.httpfixtures import (
    LOOPBACK_CIDRS,
    FixtureHTTPServer,
    closed_port,
    gzip_bomb,
)

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title></channel></rss>'
NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)


def loopback_limits(**overrides: object) -> FetchLimits:
    settings: dict[str, object] = {"allow_cidrs": LOOPBACK_CIDRS, "deadline_seconds": 5.0}
    settings.update(overrides)
    return FetchLimits(**settings)  # type: ignore[arg-type]


def fetch_error(url: str, limits: FetchLimits, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=limits, **kwargs)  # type: ignore[arg-type]
    return caught.value


@pytest.fixture
def second_host():
    """A second loopback host (127.0.0.2), for 'another site' in redirect and per-host tests."""
    with FixtureHTTPServer(host="127.0.0.2") as server:
        yield server


# --------------------------------------------------------------------------- success path


def test_it_returns_body_headers_and_validators(http_server):
    http_server.add(
        "/feed.xml",
        RSS,
        headers={
            "Content-Type": "application/rss+xml",
            "ETag": '"v1"',
            "Last-Modified": "Tue, 24 Nov 2026 10:00:00 GMT",
        },
    )
    result = fetch(http_server.url("/feed.xml"), limits=http_server.limits)
    assert result.status == 200
    assert result.body == RSS
    assert result.headers["content-type"] == "application/rss+xml"
    assert (result.etag, result.last_modified) == ('"v1"', "Tue, 24 Nov 2026 10:00:00 GMT")
    assert result.not_modified is False
    assert result.permanent_redirect is None
    assert result.url == http_server.url("/feed.xml")
    assert 0 <= result.elapsed < 5


def test_it_identifies_itself_and_asks_for_feeds(http_server):
    http_server.add("/feed.xml", RSS)
    fetch(http_server.url("/feed.xml"), limits=loopback_limits(user_agent="cupure/9 (+https://example.test)"))
    sent = http_server.requests("/feed.xml")[0]
    assert sent["user-agent"] == "cupure/9 (+https://example.test)"
    assert sent["accept"].startswith("application/rss+xml")
    assert sent["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in sent and "cookie" not in sent


def test_it_sends_stored_validators_verbatim_and_reports_304(http_server):
    # ETag with quotes and commas (A22): sent back byte for byte; the server's new ETag wins
    http_server.add("/feed.xml", b"", status=304, headers={"ETag": '"v2,b"'})
    result = fetch(
        http_server.url("/feed.xml"),
        limits=http_server.limits,
        etag='W/"a,b"',
        last_modified="Tue, 24 Nov 2026 10:00:00 GMT",
    )
    sent = http_server.requests("/feed.xml")[0]
    assert sent["if-none-match"] == 'W/"a,b"'
    assert sent["if-modified-since"] == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert (result.status, result.not_modified, result.body) == (304, True, b"")
    assert result.etag == '"v2,b"'
    assert result.last_modified == "Tue, 24 Nov 2026 10:00:00 GMT"


def test_a_304_without_validators_keeps_the_ones_sent(http_server):
    http_server.add("/feed.xml", b"", status=304)
    result = fetch(http_server.url("/feed.xml"), limits=http_server.limits, etag='"abc"')
    assert result.not_modified and result.etag == '"abc"' and result.last_modified is None


def test_an_empty_200_is_an_error(http_server):
    http_server.add("/feed.xml", b"")
    error = fetch_error(http_server.url("/feed.xml"), http_server.limits)
    assert (error.kind, error.status) == ("empty_body", 200)


@pytest.mark.parametrize("status", [404, 410, 429, 500, 503])
def test_http_errors_carry_status_and_headers(http_server, status):
    http_server.add("/feed.xml", b"busy", status=status, headers={"Retry-After": "120"})
    error = fetch_error(http_server.url("/feed.xml"), http_server.limits)
    assert (error.kind, error.status) == ("http_status", status)
    assert retry_after_seconds(error.headers, NOW) == 120


# --------------------------------------------------------------------------- encodings and caps


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("GZIP", gzip.compress),
        ("deflate", zlib.compress),  # RFC 9110: zlib-wrapped
        ("deflate", _raw_deflate),  # what some servers send instead
        ("identity", lambda data: data),
    ],
)
def test_it_decodes_one_content_encoding(http_server, encoding, encode):
    http_server.add("/feed.xml", encode(RSS * 50), headers={"Content-Encoding": encoding})
    assert fetch(http_server.url("/feed.xml"), limits=http_server.limits).body == RSS * 50


@pytest.mark.parametrize(
    "encoding",
    ["gzip, gzip", ", ".join(["gzip"] * 100), "deflate, gzip", "foo", "br", "compress", "zstd"],
)
def test_stacked_or_unknown_encodings_are_refused(http_server, encoding):
    http_server.add("/feed.xml", gzip.compress(RSS), headers={"Content-Encoding": encoding})
    assert fetch_error(http_server.url("/feed.xml"), http_server.limits).kind == "encoding"


@pytest.mark.parametrize(
    "body", [b"not gzip at all", gzip.compress(RSS * 100, mtime=0)[:40]], ids=["garbage", "truncated"]
)
def test_corrupt_or_truncated_gzip_is_an_encoding_error(http_server, body):
    http_server.add("/feed.xml", body, headers={"Content-Encoding": "gzip"})
    assert fetch_error(http_server.url("/feed.xml"), http_server.limits).kind == "encoding"


def test_a_gzip_bomb_stops_at_the_decompressed_cap_in_bounded_memory(http_server):
    # nominally 4 GiB of zeros (~4 MB on the wire); the server compresses lazily and stops with us
    http_server.add("/bomb.xml", gzip_bomb(4 << 30), headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    started = time.monotonic()
    try:
        error = fetch_error(http_server.url("/bomb.xml"), http_server.limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.kind == "too_large"
    assert time.monotonic() - started < 3
    assert peak < 40 * 1024 * 1024  # the 10 MiB cap plus working buffers, never the inflated size


def test_an_endless_chunked_body_stops_at_the_cap(fault_server):
    started = time.monotonic()
    error = fetch_error(fault_server.url("/infinite"), loopback_limits())
    assert error.kind == "too_large"
    assert time.monotonic() - started < 3


def test_a_declared_length_over_the_cap_is_refused_before_reading(http_server):
    http_server.add("/feed.xml", b"<rss>", headers={"Content-Length": str(10**12)})
    assert fetch_error(http_server.url("/feed.xml"), http_server.limits).kind == "too_large"


def test_a_request_may_lower_the_size_cap(http_server):
    http_server.add("/page.html", b"x" * 5000)
    assert fetch(http_server.url("/page.html"), limits=http_server.limits, max_bytes=5000).body == b"x" * 5000
    error = fetch_error(http_server.url("/page.html"), http_server.limits, max_bytes=4999)
    assert error.kind == "too_large"


# --------------------------------------------------------------------------- transport faults


def test_a_refused_port_is_a_network_error():
    error = fetch_error(f"http://127.0.0.1:{closed_port()}/feed.xml", loopback_limits())
    assert error.kind == "network"


@pytest.mark.parametrize("path", ["/stall", "/drip", "/dripheaders"])
def test_a_silent_or_dripping_server_aborts_at_the_total_deadline(fault_server, path):
    # the idle timeout (10 s) never trips on a 0.2 s drip: only the wall-clock deadline can stop it
    limits = loopback_limits(deadline_seconds=1.0)
    started = time.monotonic()
    error = fetch_error(fault_server.url(path), limits)
    elapsed = time.monotonic() - started
    assert error.kind == "timeout"
    assert 0.9 <= elapsed < 1.5
    assert "1 s deadline" in str(error)


@pytest.mark.parametrize("path", ["/hugeheader", "/manyheaders"])
def test_oversized_headers_are_a_protocol_error(fault_server, path):
    error = fetch_error(fault_server.url(path), loopback_limits())
    assert error.kind == "protocol"
    assert len(str(error)) < 300  # the peer's megabyte of header never reaches the operator's screen


def test_a_body_shorter_than_its_content_length_is_incomplete(fault_server):
    assert fetch_error(fault_server.url("/liar-short"), loopback_limits()).kind == "network"


def test_a_body_longer_than_its_content_length_is_never_read_past_it(fault_server):
    try:
        result = fetch(fault_server.url("/liar-long"), limits=loopback_limits())
    except FetchError as error:
        assert error.kind in ("network", "protocol")
    else:
        assert len(result.body) == 100


def test_a_connection_reset_mid_body_is_a_network_error(fault_server):
    assert fetch_error(fault_server.url("/rst"), loopback_limits()).kind == "network"


def test_a_malformed_chunk_fails_by_the_deadline_at_the_latest(fault_server):
    # aiohttp's C parser leaves the body reader waiting after a bad chunk size (its pure-Python
    # parser raises at once); either way no partial body comes back, and the deadline bounds it
    started = time.monotonic()
    error = fetch_error(fault_server.url("/badchunk"), loopback_limits(deadline_seconds=1.0))
    assert error.kind in ("network", "timeout")
    assert time.monotonic() - started < 1.5


# --------------------------------------------------------------------------- redirects


def _chain(server: FixtureHTTPServer, statuses: list[int]) -> str:
    """/r0 -> /r1 -> ... -> /feed.xml, with the given redirect statuses; returns the start URL."""
    server.add("/feed.xml", RSS)
    for index, status in enumerate(statuses):
        target = f"/r{index + 1}" if index + 1 < len(statuses) else "/feed.xml"
        server.redirect(f"/r{index}", target, status=status)
    return server.url("/r0") if statuses else server.url("/feed.xml")


def test_it_follows_five_redirects(http_server):
    result = fetch(_chain(http_server, [302, 301, 307, 308, 303]), limits=http_server.limits)
    assert result.url == http_server.url("/feed.xml") and result.body == RSS


def test_a_sixth_redirect_is_refused(http_server):
    error = fetch_error(_chain(http_server, [302] * 6), http_server.limits)
    assert error.kind == "too_many_redirects"
    assert http_server.hits("/feed.xml") == 0


def test_a_redirect_loop_is_refused(http_server):
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", http_server.url("/a"))
    assert fetch_error(http_server.url("/a"), http_server.limits).kind == "too_many_redirects"
    assert http_server.hits("/a") + http_server.hits("/b") == 6


@pytest.mark.parametrize(
    ("statuses", "reported"),
    [([301], True), ([301, 308], True), ([301, 302], False), ([307], False), ([], False)],
)
def test_only_all_permanent_chains_report_a_new_url(http_server, statuses, reported):
    result = fetch(_chain(http_server, statuses), limits=http_server.limits)
    assert result.permanent_redirect == (http_server.url("/feed.xml") if reported else None)


def test_a_redirect_without_location_is_a_protocol_error(http_server):
    http_server.add("/moved", b"", status=301)
    assert fetch_error(http_server.url("/moved"), http_server.limits).kind == "protocol"


BAD_SCHEMES = [
    "file:///etc/passwd",
    "gopher://127.0.0.1:70/",
    "ftp://example.com/feed.xml",
    "data:text/xml,<rss/>",
    "javascript:alert(1)",
    "dict://127.0.0.1:11211/stats",
]


@pytest.mark.parametrize("target", BAD_SCHEMES)
def test_other_schemes_are_refused_as_start_or_redirect(http_server, target):
    assert fetch_error(target, http_server.limits).kind == "bad_scheme"
    http_server.redirect("/go", target)
    assert fetch_error(http_server.url("/go"), http_server.limits).kind == "bad_scheme"


@pytest.mark.parametrize(
    "url", ["http://user:secret@127.0.0.1/feed", "http:///feed", "http://exa%6dple.test/"]
)
def test_credentials_and_odd_hosts_are_refused_before_any_io(url):
    assert fetch_error(url, loopback_limits()).kind == "bad_url"


# --------------------------------------------------------------------------- address guard (SSRF)


def test_loopback_is_refused_when_no_allow_list_is_set(http_server):
    error = fetch_error(http_server.url("/admin"), FetchLimits())
    assert error.kind == "blocked_destination"
    assert ALLOW_SETTING in str(error) and "loopback" in str(error)
    assert http_server.hits() == 0


def test_a_redirect_to_loopback_is_blocked_before_reaching_it(http_server, second_host):
    # the "public" feed host is 127.0.0.2 (the only allow-listed address); the admin service on
    # 127.0.0.1 is not allowed and must see no request at all (Miniflux's redirect test)
    http_server.add("/admin", b"secret")
    second_host.redirect("/feed.xml", http_server.url("/admin"))
    error = fetch_error(second_host.url("/feed.xml"), FetchLimits(allow_cidrs=("127.0.0.2/32",)))
    assert error.kind == "blocked_destination"
    assert second_host.hits("/feed.xml") == 1
    assert http_server.hits() == 0


LOOPBACK_SPELLINGS = [
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "127.1",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "0.0.0.0",
    "localhost.",
    "LOCALHOST",
    "admin.localhost",
    "127.0.0.1.nip.io",  # answered by dnsmock below
]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_loopback_in_any_spelling_is_blocked(http_server, second_host, dnsmock, host):
    dnsmock.table["127.0.0.1.nip.io"] = ["127.0.0.1"]
    target = f"http://{host}:{http_server.port}/admin"
    assert fetch_error(target, FetchLimits()).kind == "blocked_destination"
    second_host.redirect("/feed.xml", target)
    via_redirect = fetch_error(second_host.url("/feed.xml"), FetchLimits(allow_cidrs=("127.0.0.2/32",)))
    assert via_redirect.kind == "blocked_destination"
    assert http_server.hits() == 0
    assert all(address[0] == "127.0.0.2" for address in dnsmock.connects)


NON_PUBLIC_ANSWERS = [
    "169.254.169.254",  # cloud metadata
    "100.100.100.200",  # Alibaba metadata (CGNAT range)
    "fd00:ec2::254",  # AWS IPv6 metadata
    "10.0.0.5",
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",
    "198.18.0.1",
    "0.0.0.0",
    "::ffff:10.0.0.1",
    "::a00:1",  # IPv4-compatible 10.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1 (Python calls this one global)
    "2002:a00:1::",  # 6to4 of 10.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    "fe80::1",
    "224.0.0.1",
]


@pytest.mark.parametrize("address", NON_PUBLIC_ANSWERS)
def test_names_resolving_to_non_public_addresses_never_connect(dnsmock, address):
    dnsmock.table["target.test"] = [address]
    error = fetch_error("http://target.test/feed.xml", FetchLimits())
    assert error.kind == "blocked_destination"
    assert ALLOW_SETTING in str(error)
    assert dnsmock.lookups == ["target.test"]
    assert dnsmock.connects == []


@pytest.mark.parametrize(
    "answers", [["93.184.216.34", "10.0.0.1"], ["10.0.0.1", "93.184.216.34"], ["2606:4700::1", "::1"]]
)
def test_one_non_public_answer_among_public_ones_blocks_the_fetch(dnsmock, answers):
    dnsmock.table["mixed.test"] = answers
    assert fetch_error("http://mixed.test/feed.xml", FetchLimits()).kind == "blocked_destination"
    assert dnsmock.connects == []


def test_dns_rebinding_is_caught_at_connect_time(http_server, dnsmock):
    # the subscription-time check sees a public answer; the fetch resolves again and gets loopback
    dnsmock.table["rebind.test"] = iter([["93.184.216.34"], ["127.0.0.1"]])
    url = f"http://rebind.test:{http_server.port}/admin"
    validate_destination(url, limits=FetchLimits())
    assert fetch_error(url, FetchLimits()).kind == "blocked_destination"
    assert dnsmock.lookups == ["rebind.test", "rebind.test"]
    assert dnsmock.connects == []
    assert http_server.hits() == 0


def test_an_allow_listed_name_connects_to_the_validated_address_with_its_host_header(http_server, dnsmock):
    dnsmock.table["feed.test"] = ["127.0.0.1"]
    http_server.add("/feed.xml", RSS)
    result = fetch(f"http://feed.test:{http_server.port}/feed.xml", limits=http_server.limits)
    assert result.body == RSS
    assert dnsmock.lookups == ["feed.test"]
    assert dnsmock.connects == [("127.0.0.1", http_server.port)]
    assert http_server.requests("/feed.xml")[0]["host"] == f"feed.test:{http_server.port}"


def test_validate_destination_names_the_setting_for_a_private_answer(dnsmock):
    dnsmock.table["intranet.test"] = ["192.168.1.10"]
    with pytest.raises(FetchError) as caught:
        validate_destination("http://intranet.test/feed", limits=FetchLimits())
    assert caught.value.kind == "blocked_destination" and ALLOW_SETTING in str(caught.value)
    assert dnsmock.connects == []


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1", True),
        ("::ffff:93.184.216.34", True),
        ("64:ff9b::808:808", True),  # NAT64 of a public address
        ("2002:808:808::1", True),  # 6to4 of a public address
        ("127.0.0.1", False),
        ("::1", False),
        ("100.64.0.1", False),
        ("ff0e::1", False),  # global-scope multicast is still not a web server
    ],
)
def test_the_address_policy_allows_only_public_unicast(address, allowed):
    assert AddressPolicy().allows(ipaddress.ip_address(address)) is allowed


def test_the_allow_list_admits_a_range_and_its_mapped_form():
    policy = AddressPolicy(("10.1.0.0/16",))
    assert policy.allows(ipaddress.ip_address("10.1.2.3"))
    assert policy.allows(ipaddress.ip_address("::ffff:10.1.2.3"))
    assert not policy.allows(ipaddress.ip_address("10.2.0.1"))


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::ffff:7f00:1]", "::ffff:127.0.0.1"),
        ("example.com", None),
        ("1e100.net", None),
    ],
)
def test_ip_literals_are_recognised_in_legacy_notations(host, expected):
    parsed = parse_ip_literal(host)
    assert (str(parsed) if parsed else None) == expected


def test_environment_proxies_are_ignored(http_server, monkeypatch):
    with FixtureHTTPServer() as proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.setenv(name, proxy.url("/"))
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        http_server.add("/feed.xml", RSS)
        assert fetch(http_server.url("/feed.xml"), limits=http_server.limits).body == RSS
        assert proxy.hits() == 0


# --------------------------------------------------------------------------- TLS


def test_a_trusted_https_feed_is_fetched(test_certificates):
    with FixtureHTTPServer(tls=test_certificates.good) as server:
        server.add("/feed.xml", RSS)
        limits = loopback_limits(extra_ca_file=str(test_certificates.ca))
        assert fetch(server.url("/feed.xml"), limits=limits).body == RSS


@pytest.mark.parametrize("certificate", ["self_signed", "wrong_host"])
def test_an_untrusted_certificate_is_a_tls_error(test_certificates, certificate):
    with FixtureHTTPServer(tls=getattr(test_certificates, certificate)) as server:
        server.add("/feed.xml", RSS)
        limits = loopback_limits(extra_ca_file=str(test_certificates.ca))
        assert fetch_error(server.url("/feed.xml"), limits).kind == "tls"
        assert server.hits() == 0


def test_an_https_to_http_downgrade_is_refused(test_certificates, http_server):
    http_server.add("/feed.xml", RSS)
    with FixtureHTTPServer(tls=test_certificates.good) as secure:
        secure.redirect("/feed.xml", http_server.url("/feed.xml"), status=301)
        limits = loopback_limits(extra_ca_file=str(test_certificates.ca))
        error = fetch_error(secure.url("/feed.xml"), limits)
    assert error.kind == "bad_scheme" and "https to plain http" in str(error)
    assert http_server.hits() == 0


# --------------------------------------------------------------------------- many feeds at once


def test_fetch_many_keeps_at_most_two_requests_per_host(http_server, second_host):
    for server in (http_server, second_host):
        server.add("/slow.xml", RSS, delay=0.15)
    requests = [FetchRequest(http_server.url(f"/slow.xml?n={n}")) for n in range(8)]
    requests += [FetchRequest(second_host.url(f"/slow.xml?n={n}")) for n in range(4)]
    results = fetch_many_sync(requests, limits=http_server.limits, per_host=2)
    assert all(isinstance(result, FetchResult) and result.body == RSS for result in results)
    assert http_server.max_concurrent("/slow.xml") == 2
    assert second_host.max_concurrent("/slow.xml") == 2
    assert http_server.hits("/slow.xml") == 8


def test_fetch_many_returns_results_and_errors_in_input_order(http_server):
    http_server.add("/a.xml", b"<a/>")
    http_server.add("/b.xml", b"", status=500)
    http_server.add("/c.xml", b"<c/>", delay=0.1)
    requests = [
        FetchRequest(http_server.url("/c.xml")),
        FetchRequest(http_server.url("/b.xml")),
        FetchRequest("ftp://example.test/"),
        FetchRequest(http_server.url("/a.xml"), etag='"x"'),
    ]
    results = fetch_many_sync(requests, limits=http_server.limits)
    assert isinstance(results[0], FetchResult) and results[0].body == b"<c/>"
    assert isinstance(results[1], FetchError) and results[1].status == 500
    assert isinstance(results[2], FetchError) and results[2].kind == "bad_scheme"
    assert isinstance(results[3], FetchResult) and results[3].body == b"<a/>"
    assert http_server.requests("/a.xml")[0]["if-none-match"] == '"x"'


def test_fetch_async_refuses_a_session_without_the_guard(http_server):
    async def attempt() -> None:
        async with aiohttp.ClientSession() as plain:
            await fetch_async(plain, http_server.url("/"), limits=http_server.limits)  # type: ignore[arg-type]

    with pytest.raises(TypeError):
        asyncio.run(attempt())


# --------------------------------------------------------------------------- politeness headers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120),
        ("0", 0),
        ("999999999", 24 * 3600),  # capped at a day
        ((NOW + timedelta(minutes=10)).strftime("%a, %d %b %Y %H:%M:%S GMT"), 600),
        ("Fri, 31 Dec 2099 23:59:59 GMT", 24 * 3600),
        ((NOW - timedelta(hours=1)).strftime("%a, %d %b %Y %H:%M:%S GMT"), 0),
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
    ],
)
def test_retry_after_is_parsed_and_capped(value, expected):
    assert retry_after_seconds({"Retry-After": value}, NOW) == expected


def test_retry_after_is_none_without_the_header():
    assert retry_after_seconds({}, NOW) is None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Cache-Control": "public, max-age=300"}, 300),
        ({"cache-control": "max-age=60", "expires": "Fri, 31 Dec 2099 23:59:59 GMT"}, 60),  # max-age wins
        ({"Expires": (NOW + timedelta(hours=2)).strftime("%a, %d %b %Y %H:%M:%S GMT")}, 7200),
        ({"Expires": "0"}, None),  # disables, as Miniflux does
        ({"Expires": "Thu, 01 Jan 1970 00:00:00 GMT"}, 0),
        ({"Cache-Control": "max-age=abc"}, None),
        ({"Cache-Control": "no-cache"}, None),
        ({}, None),
    ],
)
def test_cache_lifetime_comes_from_max_age_or_expires(headers, expected):
    assert cache_lifetime_seconds(headers, NOW) == expected
