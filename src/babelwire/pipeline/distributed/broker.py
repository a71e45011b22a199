"""Direct looks at the Redis broker: is it reachable, and how much work waits in each queue.

Celery has no cheap "queue length" call for Redis (inspect talks to workers, not to the
broker), and kombu's Redis transport keeps each queue as a plain Redis list named after the
queue, so LLEN on that list is the depth. Unacknowledged (in-flight) messages sit in kombu's
"unacked" hash until acked or restored after the visibility timeout.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

import redis

from babelwire.errors import BabelwireError
from babelwire.pipeline.distributed.queues import QUEUES

__all__ = ["QUEUES"]  # re-exported: the rest of the distributed runner reads it from here
UNACKED_KEY = "unacked"  # kombu's Redis transport default (unacked_key)
TASK_PREFIX = "babelwire."


def queue_for_task(name: str) -> str | None:
    """The queue of a task by name: the word after "babelwire." ("babelwire.fetch_item" -> "fetch")."""
    if not name.startswith(TASK_PREFIX):
        return None
    word = name.removeprefix(TASK_PREFIX).split("_", 1)[0]
    return word if word in QUEUES else None


def parse_queues(text: str) -> list[str]:
    """Queue names from "fetch,extract" (unknown names refused, duplicates dropped, order kept)."""
    names = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [name for name in names if name not in QUEUES]
    if unknown or not names:
        raise ValueError(f"unknown queue {', '.join(unknown) or '(none)'}; choose from {','.join(QUEUES)}")
    return names


class BrokerUnreachableError(BabelwireError):
    def __init__(self, url: str, detail: str) -> None:
        fix = "start redis-server or set distributed.broker_url"
        super().__init__("broker_unreachable", f"cannot reach Redis at {redact(url)}: {fix} ({detail})")
        self.url = url


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def client(url: str, timeout: float) -> redis.Redis:
    """A Redis client that gives up after `timeout` seconds (connect and each command)."""
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


def ping(url: str, timeout: float = 2.0) -> None:
    """Raise BrokerUnreachableError unless the broker answers PING within `timeout` seconds."""
    connection = client(url, timeout)
    try:
        connection.ping()
    except (redis.RedisError, OSError) as exc:
        raise BrokerUnreachableError(url, str(exc) or type(exc).__name__) from exc
    finally:
        connection.close()


def queue_depths(connection: redis.Redis, queues: Sequence[str] = QUEUES) -> dict[str, int]:
    """Messages waiting in each queue (not yet taken by a worker), in one round trip."""
    pipe = connection.pipeline(transaction=False)
    for name in queues:
        pipe.llen(name)
    return dict(zip(queues, (int(n) for n in pipe.execute()), strict=True))


def unacked_count(connection: redis.Redis) -> int:
    """Messages taken by workers and not yet acknowledged (running, or held by a dead worker)."""
    return int(connection.hlen(UNACKED_KEY))
