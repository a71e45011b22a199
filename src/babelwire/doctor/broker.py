"""Redis, the Celery broker of the distributed mode: is it there and answering PING?"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from babelwire.doctor.result import CheckResult, failed, passed


def redacted(url: str) -> str:
    """The URL without its password, for printing."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=f"{user}{host}{port}"))


def check_redis(url: str, timeout: float = 3.0) -> CheckResult:
    import redis

    shown = redacted(url)
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
            version = client.info("server").get("redis_version", "?")
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        fix = "start redis-server (apt-get install redis-server), or set distributed.broker_url"
        return failed("redis broker", f"{shown}: {type(exc).__name__}: {exc}", fix)
    return passed("redis broker", f"{shown}: PING answered (redis {version})")
