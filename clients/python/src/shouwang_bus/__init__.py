"""Shouwang's event bus for Python integrators: every event once, in order per topic.

    from shouwang_bus import Subscriber, SQLiteCheckpoint

    checkpoint = SQLiteCheckpoint("positions.sqlite")
    with Subscriber(["intake."], checkpoint=checkpoint) as subscriber:
        for event in subscriber:
            handle(event)
            subscriber.commit()

See docs/INTEGRATORS.md for keys, delivery guarantees and exactly-once effects.
"""

from .checkpoint import Checkpoint, MemoryCheckpoint, SQLiteCheckpoint
from .connection import BusEndpoints, BusError, ReplayRefused, heads, ping, request
from .events import EnvelopeError, Event, Heartbeat, parse_message
from .state import IntegrityAlarm, Output, ReplayPage, ReplayRequest, SubscriberState
from .subscriber import Subscriber

__all__ = [
    "BusEndpoints",
    "BusError",
    "Checkpoint",
    "EnvelopeError",
    "Event",
    "Heartbeat",
    "IntegrityAlarm",
    "MemoryCheckpoint",
    "Output",
    "ReplayPage",
    "ReplayRefused",
    "ReplayRequest",
    "SQLiteCheckpoint",
    "Subscriber",
    "SubscriberState",
    "heads",
    "parse_message",
    "ping",
    "request",
]
__version__ = "0.1.0"
