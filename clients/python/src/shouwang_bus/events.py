"""What travels on the bus: events and heartbeats (docs/EVENTS.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Mapping, Optional, Union


class EnvelopeError(ValueError):
    """A bus message that is not a valid envelope."""


@dataclass(frozen=True)
class Event:
    """One event: the second frame of a bus message, parsed.

    ``seq`` counts from 1 per topic without gaps. ``key`` is the aggregate's id, ``area``
    its geography code (when it has one), ``data`` the topic's payload (docs/EVENTS.md and
    docs/events.schema.json), ``v`` the version of that payload's shape.
    """

    id: str
    topic: str
    seq: int
    stream: str
    v: int
    occurred_at: datetime
    key: str
    area: Optional[str] = None
    correlation_id: Optional[str] = None
    data: Dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def position(self) -> "tuple[str, int]":
        """``(topic, seq)``: where this event sits, what a checkpoint remembers."""
        return (self.topic, self.seq)

    def to_json(self) -> Dict[str, Any]:
        """The envelope as the bus sent it (field names of the wire)."""
        envelope: Dict[str, Any] = {
            "id": self.id,
            "topic": self.topic,
            "seq": self.seq,
            "stream": self.stream,
            "v": self.v,
            "occurredAt": format_timestamp(self.occurred_at),
            "key": self.key,
        }
        if self.area is not None:
            envelope["area"] = self.area
        if self.correlation_id is not None:
            envelope["correlationId"] = self.correlation_id
        envelope["data"] = self.data
        return envelope


@dataclass(frozen=True)
class Heartbeat:
    """A relay's announcement of a topic's head: the highest ``seq`` published."""

    topic: str
    head: int


Message = Union[Event, Heartbeat]


def parse_timestamp(text: str) -> datetime:
    """RFC 3339 (``2026-11-25T08:30:00.123Z``) to an aware datetime in UTC."""
    if not isinstance(text, str):
        raise EnvelopeError("occurredAt is not a string")
    value = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise EnvelopeError(f"occurredAt is not RFC 3339: {text[:40]!r}") from None
    if parsed.tzinfo is None:
        raise EnvelopeError(f"occurredAt has no time zone: {text[:40]!r}")
    return parsed.astimezone(timezone.utc)


def format_timestamp(moment: datetime) -> str:
    """An aware datetime as the bus writes it: UTC, milliseconds, ``Z``."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EnvelopeError(f"{name} is not a whole number ≥ 0")
    return value


def _text(value: Any, name: str, optional: bool = False) -> Optional[str]:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise EnvelopeError(f"{name} is not a string")
    return value


def event_from_json(envelope: Mapping[str, Any]) -> Event:
    """An :class:`Event` from a decoded envelope object."""
    if not isinstance(envelope, Mapping):
        raise EnvelopeError("the envelope is not a JSON object")
    data = envelope.get("data", {})
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise EnvelopeError("data is not a JSON object")
    seq = _whole(envelope.get("seq"), "seq")
    if seq < 1:
        raise EnvelopeError("seq starts at 1")
    return Event(
        id=_text(envelope.get("id"), "id") or "",
        topic=_text(envelope.get("topic"), "topic") or "",
        seq=seq,
        stream=_text(envelope.get("stream"), "stream") or "",
        v=_whole(envelope.get("v", 1), "v"),
        occurred_at=parse_timestamp(envelope.get("occurredAt")),  # type: ignore[arg-type]
        key=_text(envelope.get("key"), "key") or "",
        area=_text(envelope.get("area"), "area", optional=True),
        correlation_id=_text(envelope.get("correlationId"), "correlationId", optional=True),
        data=data,
    )


def decode_json(frame: bytes) -> Any:
    try:
        return json.loads(frame)
    except (ValueError, UnicodeDecodeError):
        raise EnvelopeError("the frame is not JSON") from None


def parse_message(envelope_frame: bytes) -> Message:
    """The envelope frame of a live message: an :class:`Event` or a :class:`Heartbeat`."""
    envelope = decode_json(envelope_frame)
    if isinstance(envelope, dict) and envelope.get("heartbeat") is True:
        topic = _text(envelope.get("topic"), "topic") or ""
        return Heartbeat(topic=topic, head=_whole(envelope.get("seq"), "seq"))
    return event_from_json(envelope)
