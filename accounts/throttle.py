"""Counting tries in a time window, in the cache (Redis in production, so every web worker counts together)."""

import hashlib

from axes.helpers import get_client_ip_address
from django.core.cache import cache


def key_for(kind: str, value: str) -> str:
    """A cache key for ``value`` (an address, a username), hashed: keys never hold what someone typed."""
    return f"heard:throttle:{kind}:" + hashlib.sha256(value.encode()).hexdigest()


def client_address(request) -> str:
    """The client's address as django-axes reads it (behind a proxy too)."""
    return get_client_ip_address(request=request) or "unknown"


def tries(key: str) -> int:
    return cache.get(key, 0)


def record(key: str, *, window_seconds: int) -> int:
    """Count one more try under ``key``; the window starts at the first try. Returns the count."""
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: the first try of a new window
        cache.set(key, 1, window_seconds)
        return 1


def forget(key: str) -> None:
    cache.delete(key)
