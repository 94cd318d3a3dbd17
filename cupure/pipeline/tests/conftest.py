"""Shared fixtures for pipeline tests: real loopback servers and a DNS/connect mock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cupure.pipeline.tests.httpfixtures import (
    DnsMock,
    FaultServer,
    FixtureHTTPServer,
    TestCertificates,
    install_dnsmock,
    make_test_certificates,
    openssl_available,
)


@pytest.fixture
def http_server() -> Iterator[FixtureHTTPServer]:
    """A real HTTP server on 127.0.0.1; fetch from it with ``limits=http_server.limits``
    (which allow-lists 127.0.0.0/8, as an admin would with CUPURE_FETCH_ALLOW_CIDRS)."""
    with FixtureHTTPServer() as server:
        yield server


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture
def dnsmock(monkeypatch: pytest.MonkeyPatch) -> DnsMock:
    """Fake DNS answers (``dnsmock.table[name] = [ips]``) and a connect spy that raises on any
    non-loopback address, so SSRF tests never send a packet off this machine."""
    return install_dnsmock(monkeypatch)


@pytest.fixture(scope="session")
def test_certificates(tmp_path_factory: pytest.TempPathFactory) -> TestCertificates:
    if not openssl_available():
        pytest.skip("the openssl command is not installed; TLS tests need it to make certificates")
    folder: Path = tmp_path_factory.mktemp("certs")
    return make_test_certificates(folder)
