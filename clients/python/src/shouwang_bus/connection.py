"""Where the bus is and how to prove who we are: endpoints and CURVE keys."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import List, Mapping, Optional

import zmq

from .events import EnvelopeError, decode_json, event_from_json
from .state import ReplayPage, ReplayRequest

DEFAULT_SUBSCRIBE = "tcp://127.0.0.1:5551"
DEFAULT_REPLAY = "tcp://127.0.0.1:5552"


class BusError(Exception):
    """The bus could not be reached, or refused what was asked."""


class ReplayRefused(BusError):
    """The replay endpoint answered ``{"end": true, "error": …}``: outside the key's grant,
    malformed, or beyond the key's rate."""


def _secret(value: Optional[str], file: Optional[str], name: str) -> Optional[str]:
    if value:
        return value.strip()
    if file:
        try:
            with open(file, "r", encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as error:
            raise BusError(f"cannot read {name} from {file}: {error.strerror}") from None
    return None


@dataclass(frozen=True)
class BusEndpoints:
    """The bus's subscribe (XPUB) and replay (ROUTER) endpoints and the CURVE keys.

    ``server_key`` is the bus's public key (Z85, 40 characters, from the operator);
    ``secret_key`` this client's own secret key (``shouwang keys generate --secret-file``
    writes one). Without keys the client speaks plain ZeroMQ, which only a bus run with
    ``SHOUWANG_BUS_INSECURE=1`` accepts.
    """

    subscribe: str = DEFAULT_SUBSCRIBE
    replay: str = DEFAULT_REPLAY
    server_key: Optional[str] = None
    secret_key: Optional[str] = None

    @classmethod
    def from_env(
        cls,
        environ: Optional[Mapping[str, str]] = None,
        *,
        subscribe: Optional[str] = None,
        replay: Optional[str] = None,
        server_key: Optional[str] = None,
        server_key_file: Optional[str] = None,
        secret_key: Optional[str] = None,
        secret_key_file: Optional[str] = None,
    ) -> "BusEndpoints":
        """Arguments given, else the variables the suite's own processes read:
        ``SHOUWANG_BUS_SUBSCRIBE``, ``SHOUWANG_BUS_REPLAY``, ``SHOUWANG_BUS_SERVER_KEY``
        (or ``_FILE``), ``SHOUWANG_BUS_SECRET_KEY_FILE`` (or ``SHOUWANG_BUS_SECRET_KEY``)."""
        env = os.environ if environ is None else environ
        server = _secret(server_key, server_key_file, "the bus's public key") or _secret(
            env.get("SHOUWANG_BUS_SERVER_KEY"), env.get("SHOUWANG_BUS_SERVER_KEY_FILE"), "SHOUWANG_BUS_SERVER_KEY_FILE"
        )
        secret = _secret(secret_key, secret_key_file, "the secret key") or _secret(
            env.get("SHOUWANG_BUS_SECRET_KEY"), env.get("SHOUWANG_BUS_SECRET_KEY_FILE"), "SHOUWANG_BUS_SECRET_KEY_FILE"
        )
        endpoints = cls(
            subscribe=subscribe or env.get("SHOUWANG_BUS_SUBSCRIBE") or DEFAULT_SUBSCRIBE,
            replay=replay or env.get("SHOUWANG_BUS_REPLAY") or DEFAULT_REPLAY,
            server_key=server,
            secret_key=secret,
        )
        endpoints.check()
        return endpoints

    def check(self) -> None:
        if bool(self.server_key) != bool(self.secret_key):
            raise BusError(
                "give both the bus's public key (SHOUWANG_BUS_SERVER_KEY) and this client's secret key "
                "(SHOUWANG_BUS_SECRET_KEY_FILE), or neither for a bus run without CURVE"
            )
        for name, key in (("the bus's public key", self.server_key), ("the secret key", self.secret_key)):
            if key is not None and len(key) != 40:
                raise BusError(f"{name} must be 40 Z85 characters (shouwang keys generate makes them)")

    @property
    def public_key(self) -> Optional[str]:
        """This client's public key: what the operator registers with ``shouwang keys create``."""
        if not self.secret_key:
            return None
        return zmq.curve_public(self.secret_key.encode("ascii")).decode("ascii")

    def authenticate(self, socket: zmq.Socket) -> None:
        """Sets the CURVE options on ``socket`` (before it connects)."""
        if not self.secret_key or not self.server_key:
            return
        secret = self.secret_key.encode("ascii")
        socket.curve_secretkey = secret
        socket.curve_publickey = zmq.curve_public(secret)
        socket.curve_serverkey = self.server_key.encode("ascii")


def encode_request(request: "ReplayRequest | Mapping") -> bytes:
    body = request.to_json() if isinstance(request, ReplayRequest) else dict(request)
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")


def parse_reply(frames: List[bytes]) -> ReplayPage:
    """A replay reply's frames (after the DEALER's empty delimiter): ``topic, envelope``
    pairs, then ``{"end": true, "heads": {…}}``. Raises :class:`ReplayRefused` for an
    ``error`` end frame, :class:`EnvelopeError` for anything malformed."""
    if not frames or len(frames) % 2 != 1:
        raise EnvelopeError("a replay reply is topic/envelope pairs and one end frame")
    end = decode_json(frames[-1])
    if not isinstance(end, dict) or end.get("end") is not True:
        raise EnvelopeError("the replay reply has no end frame")
    if isinstance(end.get("error"), str):
        raise ReplayRefused(end["error"])
    heads = {}
    for topic, seq in (end.get("heads") or {}).items():
        if isinstance(seq, int) and not isinstance(seq, bool):
            heads[str(topic)] = seq
    events = []
    for index in range(0, len(frames) - 1, 2):
        event = event_from_json(decode_json(frames[index + 1]))
        if frames[index] != event.topic.encode("utf-8"):
            raise EnvelopeError("a replayed envelope names another topic than its frame")
        events.append(event)
    return ReplayPage(events=events, heads=heads)


def request(
    body: "ReplayRequest | Mapping", endpoints: Optional[BusEndpoints] = None, timeout: float = 2.0
) -> ReplayPage:
    """Sends one request to the replay endpoint and waits up to ``timeout`` seconds for
    the reply (a fresh DEALER each call: for checks and tools, not for streaming)."""
    endpoints = endpoints or BusEndpoints.from_env()
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    try:
        socket.linger = 0
        endpoints.authenticate(socket)
        socket.connect(endpoints.replay)
        socket.send_multipart([b"", encode_request(body)])
        if not socket.poll(int(timeout * 1000)):
            hint = (
                "is shouwang-bus running, is the server key its public key, and is this client's key registered "
                "and not revoked (shouwang keys list)?"
                if endpoints.secret_key
                else "is shouwang-bus running without CURVE? (this client has no key: set SHOUWANG_BUS_SECRET_KEY_FILE)"
            )
            raise BusError(f"no reply from the bus replay endpoint {endpoints.replay} within {timeout:g} s: {hint}")
        frames = socket.recv_multipart()
    finally:
        socket.close(0)
        context.term()
    if not frames or frames[0] != b"":
        raise EnvelopeError("a replay reply starts with an empty delimiter frame")
    return parse_reply(frames[1:])


def ping(endpoints: Optional[BusEndpoints] = None, timeout: float = 1.0) -> None:
    """Raises :class:`BusError` unless the bus answers and accepts this client's key."""
    request({"ping": True}, endpoints, timeout)


def heads(prefix: str, endpoints: Optional[BusEndpoints] = None, timeout: float = 2.0) -> dict:
    """The current head (highest ``seq``) of every topic under ``prefix``."""
    return request(ReplayRequest(prefix, {}, 0), endpoints, timeout).heads
