"""The subscriber: :class:`SubscriberState` around a SUB and a DEALER socket."""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Deque, Dict, Iterator, List, Mapping, Optional, Sequence, Union

import zmq
from zmq.utils.monitor import recv_monitor_message

from .checkpoint import Checkpoint
from .connection import BusEndpoints, ReplayRefused, encode_request, parse_reply
from .events import EnvelopeError, Event, parse_message
from .state import BEGINNING, Output, ReplayRequest, SubscriberState

log = logging.getLogger("shouwang_bus")

TICK_MS = 200
HANDSHAKE_EVENTS = (
    zmq.EVENT_CONNECTED
    | zmq.EVENT_DISCONNECTED
    | zmq.EVENT_HANDSHAKE_SUCCEEDED
    | zmq.EVENT_HANDSHAKE_FAILED_AUTH
    | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
    | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
)
LIVE_BATCH = 2000


def _now_ms() -> int:
    return time.monotonic_ns() // 1_000_000


class Subscriber:
    """Every event under ``prefixes``, once per topic and in ``seq`` order, across
    restarts of this process, of the bus and of the relays.

    Iterate over it for events (``for event in subscriber``), or over
    :meth:`batches` for lists of them. After handling what you were given, call
    :meth:`commit`: it saves :attr:`positions` (the last ``seq`` handed to you per topic)
    in ``checkpoint``, and a restarted subscriber resumes after them.

    - Events handed to you after the last commit are handed to you again after a crash:
      delivery to your code is **at least once**.
    - Write your effects and the positions in one transaction (``SQLiteCheckpoint``'s
      ``connection``, or your own database and a checkpoint of yours) and each event's
      effect happens **exactly once**.
    - Within one run, no event is handed to you twice and none is skipped.

    ``start`` applies only when the checkpoint is empty: ``"beginning"`` (every event the
    bus still has) or ``"now"`` (only events published from now on). Prefixes end with a
    dot (``intake.``); ``''`` is every topic the key may read.
    """

    def __init__(
        self,
        prefixes: Union[str, Sequence[str]],
        *,
        endpoints: Optional[BusEndpoints] = None,
        subscribe: Optional[str] = None,
        replay: Optional[str] = None,
        server_key: Optional[str] = None,
        secret_key_file: Optional[str] = None,
        checkpoint: Optional[Checkpoint] = None,
        start: str = BEGINNING,
        page_limit: int = 1000,
        replay_timeout: float = 3.0,
        silence: float = 10.0,
        context: Optional[zmq.Context] = None,
    ) -> None:
        if isinstance(prefixes, str):
            prefixes = [prefixes]
        for prefix in prefixes:
            if prefix and not prefix.endswith(".") and prefix.count(".") < 2:
                log.warning("prefix %r does not end with a dot: it also matches %r…", prefix, prefix + "2")
        self.endpoints = endpoints or BusEndpoints.from_env(
            subscribe=subscribe, replay=replay, server_key=server_key, secret_key_file=secret_key_file
        )
        self.checkpoint = checkpoint
        saved = dict(checkpoint.load()) if checkpoint is not None else {}
        self.state = SubscriberState(
            prefixes,
            start=saved if saved else start,
            page_limit=page_limit,
            replay_timeout_ms=int(replay_timeout * 1000),
            silence_ms=int(silence * 1000),
        )
        self._positions: Dict[str, int] = {t: s for t, s in saved.items()}
        self._ready: Deque[Event] = deque()
        self._own_context = context is None
        self._context = context or zmq.Context()
        self._live: Optional[zmq.Socket] = None
        self._replay: Optional[zmq.Socket] = None
        self._pending: Optional[ReplayRequest] = None
        self._monitor: Optional[zmq.Socket] = None
        self._refused_since: Optional[int] = None
        self._refusal_logged_at = 0
        self._handshaking = False
        self._last_tick = 0
        self._started = False
        self._closed = False
        #: Counters, for logs and tests: replay requests sent, pages received, alarms.
        self.stats = {"replays": 0, "pages": 0, "refusals": 0, "alarms": 0, "live": 0, "handshake_failures": 0}

    # MARK: What the application sees

    @property
    def positions(self) -> Dict[str, int]:
        """The last ``seq`` handed to the application, per topic (what :meth:`commit` saves)."""
        return dict(self._positions)

    def commit(self) -> None:
        """Saves :attr:`positions` in the checkpoint (see :class:`SQLiteCheckpoint` for
        committing inside your own transaction)."""
        if self.checkpoint is None:
            raise ValueError("this subscriber has no checkpoint")
        self.checkpoint.commit(self.positions)

    def __iter__(self) -> Iterator[Event]:
        while not self._closed:
            self._fill(None)
            while self._ready:
                event = self._ready.popleft()
                self._positions[event.topic] = event.seq
                yield event

    def batches(self, max_size: int = 1000, timeout: Optional[float] = None) -> Iterator[List[Event]]:
        """Lists of events (what arrived together, at most ``max_size``). With ``timeout``
        (seconds), an empty list comes after that long without events, so a loop can do
        other work or stop."""
        while not self._closed:
            batch = self.poll(max_size, timeout)
            if batch or timeout is not None:
                yield batch

    def poll(self, max_size: int = 1000, timeout: Optional[float] = None) -> List[Event]:
        """The events ready within ``timeout`` seconds (``None``: wait for some), at most
        ``max_size``; the positions move past them."""
        self._fill(None if timeout is None else _now_ms() + int(timeout * 1000))
        batch: List[Event] = []
        while self._ready and len(batch) < max_size:
            event = self._ready.popleft()
            self._positions[event.topic] = event.seq
            batch.append(event)
        return batch

    def close(self) -> None:
        """Closes the sockets (events not yet handed out are dropped: they come again)."""
        if self._closed:
            return
        self._closed = True
        if self._replay is not None and self._monitor is not None:
            try:
                self._replay.disable_monitor()
            except zmq.ZMQError:
                pass
        for socket in (self._live, self._replay, self._monitor):
            if socket is not None:
                socket.close(0)
        self._live = self._replay = self._monitor = None
        if self._own_context:
            self._context.term()

    def __enter__(self) -> "Subscriber":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # MARK: The socket shell

    def _open(self) -> None:
        live = self._context.socket(zmq.SUB)
        live.linger = 0
        live.rcvhwm = 1_000_000
        live.heartbeat_ivl = 1000
        live.heartbeat_timeout = 5000
        live.reconnect_ivl = 100
        live.reconnect_ivl_max = 2000
        self.endpoints.authenticate(live)
        live.connect(self.endpoints.subscribe)
        for prefix in self.state.prefixes:
            live.setsockopt(zmq.SUBSCRIBE, prefix.encode("utf-8"))
        replay = self._context.socket(zmq.DEALER)
        replay.linger = 0
        replay.immediate = 1
        replay.heartbeat_ivl = 1000
        replay.heartbeat_timeout = 5000
        replay.reconnect_ivl = 100
        replay.reconnect_ivl_max = 2000
        self.endpoints.authenticate(replay)
        # The handshake's outcome, so that a refused key is said, not mistaken for silence.
        self._monitor = replay.get_monitor_socket(HANDSHAKE_EVENTS)
        replay.connect(self.endpoints.replay)
        self._live, self._replay = live, replay
        self._poller = zmq.Poller()
        self._poller.register(live, zmq.POLLIN)
        self._poller.register(replay, zmq.POLLIN)
        self._poller.register(self._monitor, zmq.POLLIN)
        now = _now_ms()
        self._last_tick = now
        self._apply(self.state.start(now))
        self._started = True

    def _fill(self, deadline: Optional[int]) -> None:
        """Runs the protocol until events are ready or ``deadline`` (ms) has passed."""
        if self._closed:
            raise ValueError("the subscriber is closed")
        if not self._started:
            self._open()
        while not self._ready:
            self._send_pending()
            wait = TICK_MS if deadline is None else max(0, min(TICK_MS, deadline - _now_ms()))
            ready = dict(self._poller.poll(wait))
            if self._live in ready:
                self._drain_live()
            if self._replay in ready:
                self._drain_replies()
            if self._monitor in ready:
                self._drain_monitor()
            now = _now_ms()
            if now - self._last_tick >= TICK_MS:
                self._last_tick = now
                self._apply(self.state.tick(now))
            if deadline is not None and _now_ms() >= deadline:
                break
        self._send_pending()

    def _drain_live(self) -> None:
        output = Output()
        count = 0
        while count < LIVE_BATCH:
            try:
                frames = self._live.recv_multipart(zmq.NOBLOCK)  # type: ignore[union-attr]
            except zmq.Again:
                break
            count += 1
            if len(frames) != 2:
                continue
            try:
                message = parse_message(frames[1])
            except EnvelopeError as error:
                log.warning("dropped an unreadable bus message on %r: %s", frames[0][:120], error)
                continue
            # The bus checks the topic frame against the sender's key; the envelope must agree.
            if frames[0] != message.topic.encode("utf-8"):
                log.error("dropped a bus message whose envelope names another topic than its frame: %r", frames[0][:120])
                continue
            output.merge(self.state.receive(message, _now_ms()))
        self.stats["live"] += count
        self._apply(output)

    def _drain_replies(self) -> None:
        while True:
            try:
                frames = self._replay.recv_multipart(zmq.NOBLOCK)  # type: ignore[union-attr]
            except zmq.Again:
                return
            if not frames or frames[0] != b"":
                continue
            try:
                page = parse_reply(frames[1:])
            except (ReplayRefused, EnvelopeError) as error:
                self.stats["refusals"] += 1
                log.warning("replay refused or unreadable: %s", error)
                self._apply(self.state.replay_failed(_now_ms()))
                continue
            self.stats["pages"] += 1
            self._apply(self.state.receive_page(page, _now_ms()))

    def _drain_monitor(self) -> None:
        while True:
            try:
                event = recv_monitor_message(self._monitor, zmq.NOBLOCK)
            except zmq.Again:
                return
            kind = event["event"]
            if kind == zmq.EVENT_CONNECTED:
                self._handshaking = True
                continue
            if kind == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                self._handshaking = False
                if self._refused_since is not None:
                    log.info("the bus at %s accepts this client's key now", self.endpoints.replay)
                self._refused_since = None
                continue
            if kind == zmq.EVENT_DISCONNECTED and not self._handshaking:
                continue  # an established connection ended (a bus restart): libzmq reconnects
            # A handshake failed, or the bus closed the connection during it (how a refused
            # key usually looks from this side).
            self._handshaking = False
            self.stats["handshake_failures"] += 1
            now = _now_ms()
            if self._refused_since is None or now - self._refusal_logged_at >= 30_000:
                self._refused_since = self._refused_since or now
                self._refusal_logged_at = now
                log.warning(
                    "the CURVE handshake with the bus at %s failed (a bus that refuses a key closes the connection): "
                    "is this client's key (public key %s) registered with `shouwang keys create` and not revoked, "
                    "and is the server key the bus's public key? Retrying quietly.",
                    self.endpoints.replay, self.endpoints.public_key,
                )

    def _apply(self, output: Output) -> None:
        for alarm in output.alarms:
            self.stats["alarms"] += 1
            # A contradiction still held is settled by replay; one already delivered cannot
            # be taken back.
            log.error("bus integrity alarm: two different events claimed one topic and seq: %s", alarm)
        for topic, seq in output.skipped.items():
            if seq > self._positions.get(topic, 0):
                self._positions[topic] = seq
        self._ready.extend(output.deliver)
        if output.replay is not None:
            self._pending = output.replay

    def _send_pending(self) -> None:
        if self._pending is None or self._replay is None:
            return
        try:
            # With ZMQ_IMMEDIATE nothing is queued to a bus that is not connected: keep it.
            self._replay.send_multipart([b"", encode_request(self._pending)], zmq.NOBLOCK)
        except zmq.Again:
            return
        self.stats["replays"] += 1
        self._pending = None


def subscribe(prefixes: Union[str, Sequence[str]], **options: object) -> Subscriber:
    """``Subscriber(prefixes, **options)``."""
    return Subscriber(prefixes, **options)  # type: ignore[arg-type]
