"""A feed parsing process: frames in on stdin, `parse_feed` on each, frames out on stdout.

Started by sources/parse_pool.py as `python -m babelwire.sources.parse_worker`. The frames
carry plain JSON (and the body's raw bytes), never pickles: the parent reads what a process
that just parsed a stranger's bytes wrote, so nothing in it may be able to run code there.

A request is a 4-byte big-endian length, that many bytes of JSON {"url", "type", "size"},
then `size` bytes of body. A reply is a 4-byte length and JSON: {"poll": ...} for a result,
{"source_error": [url, reason, message]} for a SourceError, {"crash": "Class: message"}
for anything else parse_feed raised (the pool then parses it inline, to raise the same).
"""

from __future__ import annotations

import json
import struct
import sys
from datetime import datetime
from typing import Any, BinaryIO

from babelwire.domain import FeedItem, FeedPoll
from babelwire.sources.errors import SourceError
from babelwire.sources.feeds import parse_feed

LENGTH = struct.Struct(">I")
_POLL_FIELDS = ("title", "site_url", "language", "hub_url", "self_url")


def encode_poll(poll: FeedPoll) -> dict[str, Any]:
    """A parsed feed as JSON values (parse_feed's results only: no validators, never not_modified)."""
    items = [
        [
            i.url, i.guid, i.title, i.published.isoformat() if i.published else None, i.author, i.summary,
            list(i.categories),
        ]
        for i in poll.items
    ]  # fmt: skip
    return {"items": items, **{name: getattr(poll, name) for name in _POLL_FIELDS}}


def decode_poll(data: dict[str, Any]) -> FeedPoll:
    """encode_poll's inverse: equal to the FeedPoll that was encoded."""
    items = tuple(
        FeedItem(
            url, guid, title, datetime.fromisoformat(date) if date else None, author, summary, tuple(tags)
        )
        for url, guid, title, date, author, summary, tags in data["items"]
    )
    return FeedPoll(items=items, **{name: data[name] for name in _POLL_FIELDS})


def answer(body: bytes, url: str, content_type: str) -> dict[str, Any]:
    """What the worker replies for one body."""
    try:
        return {"poll": encode_poll(parse_feed(body, url, content_type))}
    except SourceError as exc:
        return {"source_error": [exc.url, exc.reason, exc.message]}
    except Exception as exc:  # the parent records it on the source, as it would an inline crash
        return {"crash": f"{type(exc).__name__}: {exc}"}


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if len(data) == size else None


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer requests until the parent closes our stdin."""
    while (head := _read_exactly(requests, LENGTH.size)) is not None:
        meta = json.loads(_read_exactly(requests, LENGTH.unpack(head)[0]) or b"{}")
        body = _read_exactly(requests, meta["size"]) if meta["size"] else b""
        if body is None:
            return
        reply = json.dumps(answer(body, meta["url"], meta["type"])).encode()
        replies.write(LENGTH.pack(len(reply)) + reply)
        replies.flush()


def main() -> None:
    replies = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed by accident may corrupt the frames
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
