"""The subscriber's gap-and-replay protocol, without any I/O.

A port of the Swift reference (Shared/EventBus/SubscriberStateMachine.swift) to several
prefixes. It turns what arrives (live messages, heartbeats, replay pages, clock ticks) into
what to do (events to hand to the application, a replay request to send). For each topic
the application receives every event once, in ``seq`` order, whatever the network loses,
repeats or reorders, as long as replay eventually answers.

- A live event is delivered when it is next in its topic; an earlier one is a duplicate
  and dropped; a later one is held while a replay fills the gap.
- A heartbeat whose head is ahead of what was delivered means a lost tail: replay.
- One replay is in flight at a time (the bus allows one per key), for one prefix; its
  reply is applied idempotently (a late or repeated reply is harmless), and another
  follows until every topic reaches the heads the reply announced and nothing is held.
- A replay unanswered for ``replay_timeout_ms`` is sent again; a refused one too, after
  the same timeout.
- A reply with no events while more is wanted backs the next request off (100 ms doubling
  to 5 s) instead of asking again at once.
- Hearing nothing live for ``silence_ms`` (relays send heartbeats every second) asks
  replay anyway, so a subscription the bus lost still delivers, late, not never.
- The database is the source of truth: a live event whose ``(topic, seq)`` was already
  delivered or held under another id is an integrity alarm; a held one is dropped and
  replay settles it. Held events that a reply shows cannot exist are dropped.

Time is passed in (milliseconds of any monotonic clock), so tests drive it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Set

from .events import Event, Heartbeat, Message

BEGINNING = "beginning"
NOW = "now"

INITIAL_BACKOFF_MS = 100
MAXIMUM_BACKOFF_MS = 5000
REMEMBERED_PER_TOPIC = 256
MAXIMUM_LIMIT = 5000


@dataclass(frozen=True)
class ReplayRequest:
    """``{"prefix": …, "after": {topic: seq}, "limit": n}``: what a replay asks for."""

    prefix: str
    after: Mapping[str, int]
    limit: int

    def to_json(self) -> dict:
        return {"prefix": self.prefix, "after": dict(sorted(self.after.items())), "limit": self.limit}


@dataclass
class ReplayPage:
    """One reply of the replay endpoint: events in per-topic order, then the heads."""

    events: List[Event]
    heads: Dict[str, int]


@dataclass(frozen=True)
class IntegrityAlarm:
    """Two different events claimed the same ``(topic, seq)``."""

    topic: str
    seq: int
    first: str
    second: str
    was_delivered: bool

    def __str__(self) -> str:
        tail = " after the first was delivered" if self.was_delivered else ""
        return f"{self.topic} #{self.seq} arrived as {self.first} and as {self.second}{tail}"


@dataclass
class Output:
    """What the shell must do after an input."""

    #: Events for the application, in order per topic.
    deliver: List[Event] = field(default_factory=list)
    #: A replay request to send now.
    replay: Optional[ReplayRequest] = None
    #: Evidence that the live stream disagrees with the database: log them.
    alarms: List[IntegrityAlarm] = field(default_factory=list)
    #: Positions reached without delivering anything (the heads learned by a ``now``
    #: start): a checkpoint saves them too, so a restart does not begin again from 0.
    skipped: Dict[str, int] = field(default_factory=dict)

    def merge(self, other: "Output") -> None:
        self.deliver.extend(other.deliver)
        self.replay = other.replay or self.replay
        self.alarms.extend(other.alarms)
        self.skipped.update(other.skipped)


class SubscriberState:
    """The protocol for the topics under ``prefixes``, as a plain object.

    ``start`` is ``"beginning"`` (every event ever published), ``"now"`` (only what is
    published from now on: asks the heads first) or a mapping ``{topic: seq}`` of saved
    positions (topics not listed start at their first event).
    """

    def __init__(
        self,
        prefixes: Sequence[str],
        start: "str | Mapping[str, int]" = BEGINNING,
        page_limit: int = 1000,
        replay_timeout_ms: int = 3000,
        maximum_held_per_topic: int = 50_000,
        maximum_held_topics: int = 1000,
        silence_ms: int = 10_000,
    ) -> None:
        if isinstance(prefixes, str):
            prefixes = [prefixes]
        if not prefixes:
            raise ValueError("subscribe to at least one prefix ('' for every topic)")
        self.prefixes: List[str] = list(dict.fromkeys(prefixes))
        self.page_limit = max(1, min(page_limit, MAXIMUM_LIMIT))
        self.replay_timeout_ms = replay_timeout_ms
        self.maximum_held_per_topic = maximum_held_per_topic
        self.maximum_held_topics = maximum_held_topics
        self.silence_ms = silence_ms
        #: The last ``seq`` handed to the application, per topic.
        self.delivered: Dict[str, int] = {}
        self._learning: Set[str] = set()
        if start == NOW:
            self._learning = set(self.prefixes)
        elif start == BEGINNING or start is None:
            pass
        elif isinstance(start, Mapping):
            self.delivered = {t: int(s) for t, s in start.items() if self._ours(t) and int(s) > 0}
        else:
            raise ValueError(f"start is 'beginning', 'now' or a mapping of topic to seq, not {start!r}")
        self._held: Dict[str, Dict[int, Event]] = {}
        self._recent_ids: Dict[str, Dict[int, str]] = {}
        # The replay in flight (or put off by backoff), and for which prefix.
        self._sent_at: Optional[int] = None
        self._due_at: Optional[int] = None
        self._in_flight: Optional[str] = None
        self._wanted: Set[str] = set()
        self._backoff = 0
        self._last_served = -1
        self._last_heard_at: Optional[int] = None

    # MARK: Inputs

    @property
    def is_replaying(self) -> bool:
        """Whether a replay is awaited, put off by backoff, or still wanted."""
        return self._sent_at is not None or self._due_at is not None or bool(self._wanted)

    @property
    def is_learning_heads(self) -> bool:
        return bool(self._learning)

    def start(self, now: int) -> Output:
        """The first request: what was missed since the start position (or the heads)."""
        self._last_heard_at = now
        self._wanted = set(self.prefixes)
        return Output(replay=self._send_next(now))

    def receive(self, message: Message, now: int) -> Output:
        """A message from the live subscription."""
        output = Output()
        self._last_heard_at = now
        prefix = self._prefix_of(message.topic)
        if prefix is None:
            return output
        if isinstance(message, Event):
            if prefix in self._learning:
                self._hold(message, output.alarms)
                return output
            acceptance = self._accept(message, output.deliver, output.alarms)
            if acceptance in ("gap", "contradicted"):
                output.replay = self._request(prefix, now)
        elif isinstance(message, Heartbeat):
            if prefix in self._learning:
                return output
            if message.head > self.delivered.get(message.topic, 0):
                output.replay = self._request(prefix, now)
        return output

    def receive_page(self, page: ReplayPage, now: int) -> Output:
        """A reply from the replay endpoint (possibly late or repeated: applied idempotently)."""
        output = Output()
        prefix = self._page_prefix(page)
        # A late reply for another prefix than the one in flight is applied, but the request
        # in flight stays in flight (its own reply, or its timeout, moves things on).
        answers_in_flight = self._in_flight is None or self._in_flight == prefix
        if answers_in_flight:
            self._sent_at = None
            self._in_flight = None
        if prefix in self._learning:
            self._learning.discard(prefix)
            for topic, head in page.heads.items():
                if topic.startswith(prefix) and head > self.delivered.get(topic, 0):
                    self.delivered[topic] = head
                    output.skipped[topic] = head
        brought = False
        for event in page.events:
            if not self._ours(event.topic):
                continue
            brought = True
            # What the database says wins over anything held from the live stream.
            held = self._held.get(event.topic)
            if held is not None and event.seq in held and held[event.seq].id != event.id:
                held[event.seq] = event
            self._accept(event, output.deliver, output.alarms)
        self._release_all(output.deliver)
        self._drop_impossible_held(prefix, page.heads)
        behind = any(
            topic.startswith(prefix) and self._ours(topic) and self.delivered.get(topic, 0) < head
            for topic, head in page.heads.items()
        )
        holding = any(topic.startswith(prefix) for topic in self._held)
        if behind or holding:
            self._wanted.add(prefix)
        if not answers_in_flight or self._sent_at is not None:
            return output
        if not self._wanted:
            self._backoff = 0
            return output
        if not brought and prefix in self._wanted and self._wanted == {prefix}:
            # The event store had nothing for us, yet we still want more: ask again later,
            # not in a tight loop. (A page of events the live stream delivered meanwhile is
            # progress: the store is answering.)
            self._backoff = min(MAXIMUM_BACKOFF_MS, max(INITIAL_BACKOFF_MS, self._backoff * 2))
            self._due_at = now + self._backoff
            return output
        if brought:
            self._backoff = 0
        output.replay = self._send_next(now)
        return output

    def replay_failed(self, now: int) -> Output:
        """The replay endpoint refused the request or its reply was unreadable: the
        request stays "in flight" so :meth:`tick` resends it after the timeout."""
        if self._in_flight is not None:
            self._sent_at = now
        return Output()

    def tick(self, now: int) -> Output:
        """The clock moved on: send a replay that backoff put off, resend one that was not
        answered in time, or ask anyway after a long live silence."""
        if self._due_at is not None:
            return Output(replay=self._send_next(now)) if now >= self._due_at else Output()
        if self._sent_at is not None:
            if now - self._sent_at >= self.replay_timeout_ms:
                return Output(replay=self._send(self._in_flight or self.prefixes[0], now))
            return Output()
        if self._wanted:
            return Output(replay=self._send_next(now))
        if self._last_heard_at is not None and now - self._last_heard_at >= self.silence_ms:
            self._last_heard_at = now
            self._wanted = set(self.prefixes)
            return Output(replay=self._send_next(now))
        return Output()

    # MARK: Internals

    def _ours(self, topic: str) -> bool:
        return any(topic.startswith(p) for p in self.prefixes)

    def _prefix_of(self, topic: str) -> Optional[str]:
        """The longest subscribed prefix of ``topic`` (replay asks per prefix)."""
        best = None
        for prefix in self.prefixes:
            if topic.startswith(prefix) and (best is None or len(prefix) > len(best)):
                best = prefix
        return best

    def _page_prefix(self, page: ReplayPage) -> str:
        """The prefix a reply answers: the one asked, unless its heads show another."""
        asked = self._in_flight
        if asked is not None and all(t.startswith(asked) for t in page.heads):
            return asked
        candidates = [p for p in self.prefixes if all(t.startswith(p) for t in page.heads)]
        if candidates:
            return max(candidates, key=len)
        return asked if asked is not None else self.prefixes[0]

    def _accept(self, event: Event, deliveries: List[Event], alarms: List[IntegrityAlarm]) -> str:
        topic = event.topic
        last = self.delivered.get(topic, 0)
        if event.seq <= last:
            first = self._recent_ids.get(topic, {}).get(event.seq)
            if first is not None and first != event.id:
                alarms.append(IntegrityAlarm(topic, event.seq, first, event.id, True))
            return "duplicate"
        if event.seq != last + 1:
            return "gap" if self._hold(event, alarms) else "contradicted"
        self._deliver(event, deliveries)
        self._release(topic, deliveries)
        return "delivered"

    def _deliver(self, event: Event, deliveries: List[Event]) -> None:
        deliveries.append(event)
        self.delivered[event.topic] = event.seq
        recent = self._recent_ids.setdefault(event.topic, {})
        recent[event.seq] = event.id
        recent.pop(event.seq - REMEMBERED_PER_TOPIC, None)

    def _hold(self, event: Event, alarms: List[IntegrityAlarm]) -> bool:
        """Holds ``event`` until the gap before it is filled; ``False`` when another event
        already held that place (both are dropped: replay settles it)."""
        topic = event.topic
        held = self._held.get(topic)
        if held is not None and event.seq in held:
            first = held[event.seq]
            if first.id == event.id:
                return True
            alarms.append(IntegrityAlarm(topic, event.seq, first.id, event.id, False))
            del held[event.seq]
            if not held:
                del self._held[topic]
            return False
        # Past the bounds, drop: replay brings the event back from the database.
        if held is None and len(self._held) >= self.maximum_held_topics:
            return True
        if held is not None and len(held) >= self.maximum_held_per_topic:
            return True
        self._held.setdefault(topic, {})[event.seq] = event
        return True

    def _drop_impossible_held(self, prefix: str, heads: Mapping[str, int]) -> None:
        """Drops held events of ``prefix``'s topics that the reply's heads show the database
        does not have (a legitimate event newer than the reply comes back after the next
        heartbeat)."""
        for topic in [t for t in self._held if t.startswith(prefix)]:
            head = heads.get(topic, 0)
            possible = {s: e for s, e in self._held[topic].items() if s <= head}
            if possible:
                self._held[topic] = possible
            else:
                del self._held[topic]

    def _release_all(self, deliveries: List[Event]) -> None:
        for topic in sorted(self._held):
            self._release(topic, deliveries)

    def _release(self, topic: str, deliveries: List[Event]) -> None:
        """Delivers held events of ``topic`` that are now next, drops those already delivered."""
        pending = self._held.get(topic)
        if pending is None:
            return
        last = self.delivered.get(topic, 0)
        for seq in [s for s in pending if s <= last]:
            del pending[seq]
        while last + 1 in pending:
            event = pending.pop(last + 1)
            self._deliver(event, deliveries)
            last = event.seq
        if not pending:
            del self._held[topic]

    def _request(self, prefix: str, now: int) -> Optional[ReplayRequest]:
        self._wanted.add(prefix)
        if self._sent_at is not None or self._due_at is not None:
            return None
        return self._send_next(now)

    def _send_next(self, now: int) -> Optional[ReplayRequest]:
        """Sends for the next prefix that wants a replay, taking turns."""
        if not self._wanted:
            self._due_at = None
            return None
        count = len(self.prefixes)
        for step in range(1, count + 1):
            index = (self._last_served + step) % count
            if self.prefixes[index] in self._wanted:
                self._last_served = index
                return self._send(self.prefixes[index], now)
        # Wanted prefixes are always subscribed ones; be safe anyway.
        self._wanted.clear()
        return None

    def _send(self, prefix: str, now: int) -> ReplayRequest:
        self._sent_at = now
        self._due_at = None
        self._in_flight = prefix
        self._wanted.discard(prefix)
        learning = prefix in self._learning
        after = {t: s for t, s in self.delivered.items() if t.startswith(prefix)}
        return ReplayRequest(prefix, after, 0 if learning else self.page_limit)
