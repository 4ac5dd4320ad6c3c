"""Rate limits of the public forms (complaints, meeting sign-in, the SKM questionnaire), one implementation.

Counts live in Django's ``default`` cache, which settings make a database cache: every worker and every restart
sees the same counts (a per-process memory cache let each worker of a server count on its own). The client is
known by :func:`client_ip`: the connecting address, or, when that address is one of the reverse proxies named in
``PANTAU_TRUSTED_PROXIES``, the right-most address of ``X-Forwarded-For`` that is not a trusted proxy. A client
cannot choose its own address by sending ``X-Forwarded-For`` itself. The address is kept only as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_proxies() -> tuple[Network, ...]:
    """The networks of ``settings.PANTAU_TRUSTED_PROXIES`` (IP addresses or CIDR blocks); empty by default."""
    return _networks(tuple(getattr(settings, "PANTAU_TRUSTED_PROXIES", ())))


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address as a string ('' when unknown).

    ``REMOTE_ADDR`` unless it is a trusted proxy; then ``X-Forwarded-For`` is read from the right (each proxy
    appends the address it saw) and the first address that is not itself a trusted proxy is the client. A value
    that is not an IP address ends the walk (a forged entry never becomes the key of someone else's limit).
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = trusted_proxies()
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return remote
        if not _is_trusted(address, networks):
            return address
    return forwarded[0] if forwarded else remote


def client_key(request: HttpRequest, scope: str) -> str:
    """The cache key of this client for ``scope``: a keyed hash of the address, never the address itself."""
    digest = hmac.new(settings.SECRET_KEY.encode(), client_ip(request).encode(), hashlib.sha256).hexdigest()
    return f"pantau:rate:{scope}:{digest[:32]}"


def hit(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """Count one request of ``scope`` for this client; True when it is over ``limit`` within ``window`` seconds.

    The first request of a window creates the count with ``cache.add`` (atomic in every backend); later ones
    increment it. Two workers incrementing at the same instant may let one request too many through; a limit of
    this kind tolerates that.
    """
    key = client_key(request, scope)
    if cache.add(key, 1, window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.add(key, 1, window)
        return False
    return count > limit
