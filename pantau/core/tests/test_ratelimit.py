"""The public forms' rate limit: shared by every worker (a database cache), keyed on the client behind trusted
proxies only."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings

from pantau.core import ratelimit

rf = RequestFactory()


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.post("/skm/1/", **extra)


def test_without_trusted_proxies_the_connecting_address_is_the_client():
    assert ratelimit.client_ip(request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@override_settings(PANTAU_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_spoofed_forwarded_header_from_an_untrusted_client_is_ignored():
    assert ratelimit.client_ip(request("203.0.113.9", "10.1.1.1, 1.2.3.4")) == "203.0.113.9"


@override_settings(PANTAU_TRUSTED_PROXIES=["10.0.0.0/8", "192.0.2.7"])
def test_behind_trusted_proxies_the_rightmost_untrusted_address_is_the_client():
    # the client forged "1.2.3.4"; the outer proxy 192.0.2.7 appended the real client 198.51.100.20, then the inner
    # proxy 10.0.0.5 (REMOTE_ADDR) appended 192.0.2.7
    assert ratelimit.client_ip(request("10.0.0.5", "1.2.3.4, 198.51.100.20, 192.0.2.7")) == "198.51.100.20"
    assert ratelimit.client_ip(request("10.0.0.5", "garbage, 198.51.100.20")) == "198.51.100.20"
    assert ratelimit.client_ip(request("10.0.0.5", "198.51.100.20, not-an-ip")) == "10.0.0.5"
    assert ratelimit.client_ip(request("10.0.0.5")) == "10.0.0.5"


@pytest.mark.django_db
def test_the_limit_counts_in_the_database_shared_by_every_worker():
    cache.clear()
    r = request("203.0.113.9")
    assert [ratelimit.hit(r, "t", limit=2, window=60) for _ in range(3)] == [False, False, True]
    # another worker is another process: it has no memory of ours, only the database table
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pantau_cache WHERE cache_key LIKE %s", ["%pantau:rate:t:%"])
        assert cursor.fetchone()[0] == 1
    # and the key is a keyed hash, not the address
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pantau_cache WHERE cache_key LIKE %s", ["%203.0.113.9%"])
        assert cursor.fetchone()[0] == 0
    # another client has its own count
    assert ratelimit.hit(request("203.0.113.10"), "t", limit=2, window=60) is False
