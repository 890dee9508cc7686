"""The checkpoints and the wire formats, without a bus."""

import json
import sqlite3
from datetime import datetime, timezone

import pytest

from shouwang_bus import BusEndpoints, BusError, Event, Heartbeat, ReplayRefused, SQLiteCheckpoint, parse_message
from shouwang_bus.connection import encode_request, parse_reply
from shouwang_bus.events import EnvelopeError, format_timestamp
from shouwang_bus.state import ReplayRequest

ENVELOPE = {
    "id": "6f1c2f6e-0000-4000-8000-000000000001", "topic": "intake.request.created", "seq": 42, "stream": "intake",
    "v": 1, "occurredAt": "2026-11-25T08:30:00.123Z", "key": "k", "area": "320505-004",
    "correlationId": "6f1c2f6e-0000-4000-8000-000000000002", "data": {"requestId": "r", "urgency": "high"},
}


def test_an_envelope_is_parsed_and_written_back_as_it_came():
    event = parse_message(json.dumps(ENVELOPE).encode())
    assert isinstance(event, Event)
    assert (event.topic, event.seq, event.area, event.data["urgency"]) == ("intake.request.created", 42, "320505-004", "high")
    assert event.occurred_at == datetime(2026, 11, 25, 8, 30, 0, 123000, tzinfo=timezone.utc)
    assert event.to_json() == ENVELOPE
    assert format_timestamp(event.occurred_at) == "2026-11-25T08:30:00.123Z"


def test_a_heartbeat_is_told_from_an_event():
    beat = {"topic": "intake.request.created", "seq": 7, "stream": "intake", "heartbeat": True,
            "occurredAt": "2026-11-25T08:30:00.123Z"}
    assert parse_message(json.dumps(beat).encode()) == Heartbeat("intake.request.created", 7)


@pytest.mark.parametrize("broken", [b"not json", b"[]", json.dumps({**ENVELOPE, "seq": "42"}).encode(),
                                    json.dumps({**ENVELOPE, "seq": 0}).encode(),
                                    json.dumps({**ENVELOPE, "occurredAt": "yesterday"}).encode()])
def test_a_broken_envelope_is_an_error_not_an_event(broken):
    with pytest.raises(EnvelopeError):
        parse_message(broken)


def test_a_replay_reply_is_pairs_then_the_end_frame():
    frames = [b"intake.request.created", json.dumps(ENVELOPE).encode(),
              json.dumps({"end": True, "heads": {"intake.request.created": 50}}).encode()]
    page = parse_reply(frames)
    assert [e.seq for e in page.events] == [42] and page.heads == {"intake.request.created": 50}
    with pytest.raises(ReplayRefused, match="outside"):
        parse_reply([json.dumps({"end": True, "heads": {}, "error": "prefix outside the key's grant"}).encode()])
    with pytest.raises(EnvelopeError):
        parse_reply([b"intake.request.cancelled", json.dumps(ENVELOPE).encode(), frames[-1]])
    with pytest.raises(EnvelopeError):
        parse_reply(frames[:2])


def test_a_request_is_the_documented_json():
    body = json.loads(encode_request(ReplayRequest("intake.", {"intake.request.created": 41}, 1000)))
    assert body == {"prefix": "intake.", "after": {"intake.request.created": 41}, "limit": 1000}


def test_keys_come_in_pairs():
    with pytest.raises(BusError):
        BusEndpoints.from_env({"SHOUWANG_BUS_SERVER_KEY": "x" * 40})
    assert BusEndpoints.from_env({}).subscribe == "tcp://127.0.0.1:5551"


def test_sqlite_positions_survive_a_reopen(tmp_path):
    path = str(tmp_path / "positions.sqlite")
    first = SQLiteCheckpoint(path)
    assert first.load() == {}
    first.commit({"a.b.c": 3, "a.b.d": 1})
    first.commit({"a.b.c": 4, "a.b.d": 1})
    first.close()
    assert SQLiteCheckpoint(path).load() == {"a.b.c": 4, "a.b.d": 1}
    assert SQLiteCheckpoint(path, consumer="other").load() == {}


def test_sqlite_positions_join_the_callers_transaction_and_roll_back_with_it(tmp_path):
    path = str(tmp_path / "positions.sqlite")
    checkpoint = SQLiteCheckpoint(path)
    db = checkpoint.connection
    db.execute("CREATE TABLE effects (topic TEXT, seq INTEGER)")
    with pytest.raises(RuntimeError):
        with db:
            db.execute("INSERT INTO effects VALUES ('a.b.c', 1)")
            checkpoint.commit({"a.b.c": 1})
            raise RuntimeError("the process dies before its transaction commits")
    other = sqlite3.connect(path)
    assert other.execute("SELECT count(*) FROM effects").fetchone() == (0,)
    assert SQLiteCheckpoint(path).load() == {}, "the positions rolled back with the effect"
    with db:
        db.execute("INSERT INTO effects VALUES ('a.b.c', 1)")
        checkpoint.commit({"a.b.c": 1})
    assert other.execute("SELECT count(*) FROM effects").fetchone() == (1,)
    assert SQLiteCheckpoint(path).load() == {"a.b.c": 1}


def test_a_sqlite_checkpoint_is_closed_on_leaving_its_with_block_even_on_an_error(tmp_path):
    path = str(tmp_path / "positions.sqlite")
    with SQLiteCheckpoint(path) as checkpoint:
        checkpoint.commit({"a.b.c": 2})
    with pytest.raises(sqlite3.ProgrammingError):
        checkpoint.connection.execute("SELECT 1")
    with pytest.raises(RuntimeError):
        with SQLiteCheckpoint(path) as failing:
            assert failing.load() == {"a.b.c": 2}
            raise RuntimeError("the block fails")
    with pytest.raises(sqlite3.ProgrammingError):
        failing.connection.execute("SELECT 1")
