"""Atomic throttles and the client address they key on.

A throttle is a row in ``RateCounter``: ``count`` uses in a window ending at ``window_ends``. Taking a
slot is one conditional UPDATE (``count = count + 1 WHERE count < limit``, or a fresh window when the
old one is over), so N racing requests get at most ``limit`` slots on both database engines: the row
lock serialises the writers and PostgreSQL re-checks the WHERE clause on the row it waited for. The
first use creates the row; losing that insert race falls back to the UPDATE.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, F, IntegerField, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.timesince import timeuntil

from cupure.accounts.models import RateCounter


@dataclass(frozen=True)
class Limit:
    """``count`` uses per ``seconds`` under ``key``; ``reason`` is what the refused user reads."""

    key: str
    count: int
    seconds: int
    reason: str


@dataclass(frozen=True)
class Refusal:
    reason: str
    retry_at: datetime
    now: datetime

    @property
    def retry_after(self) -> int:
        """Whole seconds until the user may try again (for ``Retry-After``)."""
        return max(1, math.ceil((self.retry_at - self.now).total_seconds()))

    @property
    def message(self) -> str:
        wait = timeuntil(self.retry_at, self.now) if self.retry_after >= 60 else f"{self.retry_after} seconds"
        return f"{self.reason} Please try again in {wait}."


def take(limit: Limit, *, now: datetime | None = None) -> datetime | None:
    """Use one slot of ``limit``. None when allowed, else when the window frees up."""
    now = now or timezone.now()
    ends = now + timedelta(seconds=limit.seconds)
    for _attempt in range(2):
        if _increment(limit, now, ends):
            return None
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=limit.key, count=1, window_ends=ends)
            return None
        except IntegrityError:
            pass  # someone created it first (or it exists and is full): the UPDATE decides
    if _increment(limit, now, ends):
        return None
    row = RateCounter.objects.filter(key=limit.key).values_list("window_ends", flat=True).first()
    return row or ends


def _increment(limit: Limit, now: datetime, ends: datetime) -> bool:
    window_over = Q(window_ends__lte=now)
    return bool(
        RateCounter.objects.filter(Q(key=limit.key) & (window_over | Q(count__lt=limit.count))).update(
            count=Case(When(window_over, then=Value(1)), default=F("count") + 1, output_field=IntegerField()),
            window_ends=Case(
                When(window_over, then=Value(ends)), default=F("window_ends"), output_field=DateTimeField()
            ),
        )
    )


def take_all(limits: Sequence[Limit], *, now: datetime | None = None) -> Refusal | None:
    """Use one slot of every limit, or of none: a refusal gives back the slots already taken."""
    now = now or timezone.now()
    taken: list[Limit] = []
    for limit in limits:
        retry_at = take(limit, now=now)
        if retry_at is not None:
            for done in taken:
                give_back(done)
            return Refusal(reason=limit.reason, retry_at=retry_at, now=now)
        taken.append(limit)
    return None


def give_back(limit: Limit) -> None:
    RateCounter.objects.filter(key=limit.key, count__gt=0).update(count=F("count") - 1)


def clear(key: str) -> None:
    RateCounter.objects.filter(key=key).delete()


def purge_expired(*, now: datetime | None = None) -> int:
    deleted, _ = RateCounter.objects.filter(window_ends__lt=now or timezone.now()).delete()
    return deleted


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or X-Forwarded-For only when a trusted proxy sent it.

    The header is read from the right, skipping the trusted proxies, so a client cannot prepend an
    address of its choosing.
    """
    remote = _parse(request.META.get("REMOTE_ADDR", "")) or ipaddress.ip_address("0.0.0.0")  # noqa: S104
    proxies = _networks(tuple(settings.TRUSTED_PROXIES))
    if not proxies or not any(remote in net for net in proxies if net.version == remote.version):
        return str(remote)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        ip = _parse(hop)
        if ip is None:
            break
        if not any(ip in net for net in proxies if net.version == ip.version):
            return str(ip)
    return str(remote)


def address_key(ip: str) -> str:
    """The throttle key of an address: IPv6 clients are counted per /64 (one customer's network)."""
    parsed = _parse(ip)
    if parsed is None:
        return "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
