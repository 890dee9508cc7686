"""The example integrations under examples/ (issue 15): their logic on events shaped exactly
as docs/events.schema.json says, and each example run as a process against the real thing —
a private PostgreSQL, shouwang-bus with CURVE keys, and the real shouwang-intake and
shouwang-matching producing the events from HTTP requests — killed with -9 mid-stream and
started again: nothing missed, nothing counted twice."""

from __future__ import annotations

import csv
import importlib.util
import io
import itertools
import json
import os
import random
import re
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import pytest

import shouwang_bus
from shouwang_bus import SQLiteCheckpoint
from shouwang_bus.events import Event, format_timestamp, parse_message
from stack import ROOT, Process, Stack, free_port, wait_until

EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "docs" / "events.schema.json").read_text(encoding="utf-8"))


def load_example(name: str) -> ModuleType:
    """Imports examples/NAME/NAME.py as a module: the examples are scripts an integrator
    copies, not a package, so the tests load them by path."""
    path = EXAMPLES / name / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"example_{name}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


checkins = load_example("checkins_per_minute")
medicine = load_example("unassigned_medicine")


# MARK: - Fixture events, checked against the published schemas


def schema_problems(schema: Dict[str, Any], value: Any, where: str = "data") -> List[str]:
    """What is wrong with ``value`` under ``schema``, for the keywords events.schema.json
    uses (type, properties, required, additionalProperties, items, pattern, enum, format
    date-time). A fallback for when ``jsonschema`` is not installed in the client's venv,
    which pins only pyzmq, pytest and setuptools."""
    kinds = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: not isinstance(v, bool) and (isinstance(v, int) or (isinstance(v, float) and v.is_integer())),
        "number": lambda v: not isinstance(v, bool) and isinstance(v, (int, float)),
    }
    expected = schema.get("type")
    if expected is not None:
        allowed = expected if isinstance(expected, list) else [expected]
        if not any(kinds[kind](value) for kind in allowed):
            return [f"{where} is not of type {expected}"]
    problems: List[str] = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where} is not one of {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{where} does not match {schema['pattern']}")
        if schema.get("format") == "date-time":
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                problems.append(f"{where} is not a date-time")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        problems += [f"{where}.{name} is required" for name in schema.get("required", []) if name not in value]
        for name, item in value.items():
            if name in properties:
                problems += schema_problems(properties[name], item, f"{where}.{name}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}.{name} is not in the schema")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += schema_problems(schema["items"], item, f"{where}[{index}]")
    return problems


def check_against_schema(topic: str, data: Dict[str, Any]) -> None:
    """Fails unless ``data`` is valid for ``topic`` in docs/events.schema.json: with
    jsonschema when the venv has it, else with :func:`schema_problems`."""
    schema = SCHEMA["topics"][topic]
    try:
        import jsonschema  # type: ignore[import-not-found]
    except ImportError:
        problems = schema_problems(schema, data)
    else:
        problems = [error.message for error in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert not problems, f"fixture {topic} does not match docs/events.schema.json: {problems}"


T0 = datetime(2026, 11, 25, 8, 30, 0, tzinfo=timezone.utc)
_seqs: Dict[str, int] = {}


def make_event(topic: str, data: Dict[str, Any], *, at: datetime, key: str, area: Optional[str] = None,
               validate: bool = True) -> Event:
    """An event as it comes off the wire: the envelope of docs/EVENTS.md, encoded and parsed
    by the client's own parser, with a per-topic ``seq``; its data checked against the
    topic's schema first (unless the test wants a malformed one)."""
    if validate:
        check_against_schema(topic, data)
    _seqs[topic] = _seqs.get(topic, 0) + 1
    envelope = {
        "id": str(uuid.uuid4()), "topic": topic, "seq": _seqs[topic], "stream": topic.split(".")[0], "v": 1,
        "occurredAt": format_timestamp(at), "key": key, "data": data,
    }
    if area is not None:
        envelope["area"] = area
    parsed = parse_message(json.dumps(envelope).encode("utf-8"))
    assert isinstance(parsed, Event)
    return parsed


def new_id() -> str:
    return str(uuid.uuid4())


def checkins_event(count: Any, *, area: Optional[str], at: datetime, round_id: str, site_id: Optional[str] = None,
                   validate: bool = True) -> Event:
    """``intake.checkins.recorded`` as IntakeEvents.checkins makes it (key: the batch)."""
    batch = new_id()
    tubes = [f"T{random.randrange(10**9):09d}" for _ in range(max(1, int(count) // 10))] if isinstance(count, (int, float)) else []
    data = {"batchId": batch, "roundId": round_id, "siteId": site_id or new_id(), "count": count, "tubeBarcodes": tubes}
    return make_event(checkins.TOPIC, data, at=at, key=batch, area=area, validate=validate)


def request_data(request_id: str, *, category: str = "medicine", status: str = "open", compound: str = "320505-001-001-01",
                 **extra: Any) -> Dict[str, Any]:
    """The data intake puts on every ``intake.request.*`` event (IntakeEvents.request)."""
    data = {"requestId": request_id, "category": category, "urgency": "urgent", "zone": "sealed", "compound": compound,
            "status": status, "filedBy": "phone-operator"}
    data.update(extra)
    return data


def request_event(topic: str, request_id: str, at: datetime, **data: Any) -> Event:
    """One event of a request's life, on any followed topic, with the fields its schema requires."""
    compound = data.pop("compound", "320505-001-001-01")
    if topic.startswith("intake."):
        payload = request_data(request_id, compound=compound, **data)
    else:
        payload = {"requestId": request_id, "compound": compound, **data}
        if topic in ("matching.request.offered", "matching.request.assigned", "matching.task.completed"):
            payload.setdefault("volunteerId", new_id())
        if topic == "matching.request.offered":
            payload.setdefault("until", format_timestamp(at + timedelta(minutes=3)))
        if topic == "matching.task.completed":
            payload.setdefault("hours", 1.5)
        if topic == "matching.request.unassigned":
            payload.setdefault("reason", "no eligible volunteer nearby with the skill this request needs")
    return make_event(topic, payload, at=at, key=request_id, area=compound)


# MARK: - checkins_per_minute: unit tests


def test_a_street_is_the_first_two_levels_of_the_site_area():
    assert checkins.street_of("320505-001-001-01") == "320505-001"
    assert checkins.street_of("320505-001-001") == "320505-001"
    assert checkins.street_of("320505-004") == "320505-004"
    assert checkins.street_of("320505") == "320505"  # a district-wide site counts as the district
    assert checkins.street_of(None) == checkins.UNKNOWN_AREA
    assert checkins.street_of("32050-001") == checkins.UNKNOWN_AREA
    assert checkins.street_of("320505-01-001") == checkins.UNKNOWN_AREA


def test_check_ins_are_summed_per_round_street_and_minute():
    round_a, round_b = new_id(), new_id()
    events = [
        checkins_event(12, area="320505-001-001-01", at=T0 + timedelta(seconds=5), round_id=round_a),
        checkins_event(3, area="320505-001-002", at=T0 + timedelta(seconds=59, milliseconds=999), round_id=round_a),
        checkins_event(7, area="320505-002-001-01", at=T0 + timedelta(seconds=30), round_id=round_a),
        checkins_event(20, area="320505-001-001-02", at=T0 + timedelta(minutes=1), round_id=round_a),
        checkins_event(4, area="320505-001-001-01", at=T0 + timedelta(seconds=10), round_id=round_b),
        checkins_event(10.0, area="320505-001-001-01", at=T0 + timedelta(minutes=1, seconds=1), round_id=round_a),
    ]
    increments, unusable = checkins.tally(events)
    assert unusable == 0
    minute = T0.replace(second=0)
    assert increments == {
        checkins.Cell(round_a, "320505-001", minute): 15,
        checkins.Cell(round_a, "320505-002", minute): 7,
        checkins.Cell(round_a, "320505-001", minute + timedelta(minutes=1)): 30,
        checkins.Cell(round_b, "320505-001", minute): 4,
    }
    assert checkins.table(increments) == [
        checkins.Row(minute, "320505-001", 19),
        checkins.Row(minute, "320505-002", 7),
        checkins.Row(minute + timedelta(minutes=1), "320505-001", 30),
    ]
    assert [row.checkins for row in checkins.table(increments, round_id=round_b)] == [4]
    assert checkins.table(increments, since=minute + timedelta(minutes=1)) == [checkins.Row(minute + timedelta(minutes=1), "320505-001", 30)]


def test_minutes_are_utc_minutes_whatever_the_clock_of_the_event():
    cst = timezone(timedelta(hours=8))
    moment = datetime(2026, 11, 25, 16, 30, 45, 500000, tzinfo=cst)
    assert checkins.minute_of(moment) == datetime(2026, 11, 25, 8, 30, tzinfo=timezone.utc)


def test_an_event_without_a_usable_count_is_skipped_and_said():
    round_id = new_id()
    events = [
        checkins_event(True, area="320505-001", at=T0, round_id=round_id, validate=False),
        checkins_event(-1, area="320505-001", at=T0, round_id=round_id),  # schema-valid, but not a count
        checkins_event(2.5, area="320505-001", at=T0, round_id=round_id, validate=False),
        checkins_event(5, area="320505-001", at=T0, round_id=round_id),
    ]
    increments, unusable = checkins.tally(events)
    assert unusable == 3
    assert sum(increments.values()) == 5


def _commit_batch(path: Path, store_of, apply_batch, positions: Dict[str, int], fail: bool = False) -> None:
    """What an example does per batch, through a fresh connection as after a restart:
    its effect and the positions in one transaction — failing before the end if asked,
    as a process killed in the middle would."""
    checkpoint = SQLiteCheckpoint(str(path), consumer="test")
    store = store_of(checkpoint.connection)
    try:
        with checkpoint.connection:
            apply_batch(store)
            checkpoint.commit(positions)
            if fail:
                raise RuntimeError("killed mid-transaction")
    except RuntimeError:
        pass
    finally:
        checkpoint.close()


def test_the_tally_and_the_positions_are_saved_together_or_not_at_all(tmp_path):
    db = tmp_path / "tally.sqlite"
    round_id = new_id()
    first = [checkins_event(5, area="320505-001-001", at=T0, round_id=round_id) for _ in range(3)]
    second = [checkins_event(7, area="320505-002-001", at=T0, round_id=round_id) for _ in range(2)]

    def add(events):
        return lambda store: store.add(checkins.tally(events)[0])

    _commit_batch(db, checkins.TallyStore, add(first), {checkins.TOPIC: first[-1].seq})
    _commit_batch(db, checkins.TallyStore, add(second), {checkins.TOPIC: second[-1].seq}, fail=True)
    checkpoint = SQLiteCheckpoint(str(db), consumer="test")
    assert checkpoint.load() == {checkins.TOPIC: first[-1].seq}, "the failed batch moved the positions"
    assert sum(checkins.TallyStore(checkpoint.connection).cells().values()) == 15, "the failed batch left counts behind"
    checkpoint.close()
    _commit_batch(db, checkins.TallyStore, add(second), {checkins.TOPIC: second[-1].seq})  # the restart does it again
    checkpoint = SQLiteCheckpoint(str(db), consumer="test")
    minute = T0.replace(second=0)
    assert checkins.TallyStore(checkpoint.connection).cells() == {
        checkins.Cell(round_id, "320505-001", minute): 15, checkins.Cell(round_id, "320505-002", minute): 14,
    }
    checkpoint.close()


def test_the_report_prints_the_table_in_the_chosen_clock(tmp_path):
    db = tmp_path / "tally.sqlite"
    round_id = new_id()
    events = [checkins_event(9, area="320505-001-001", at=T0, round_id=round_id),
              checkins_event(4, area="320505-002-001", at=T0 + timedelta(minutes=2), round_id=round_id)]
    _commit_batch(db, checkins.TallyStore, lambda store: store.add(checkins.tally(events)[0]), {checkins.TOPIC: 2})
    out = io.StringIO()
    checkpoint = SQLiteCheckpoint(str(db))
    rows = checkins.table(checkins.TallyStore(checkpoint.connection).cells())
    checkpoint.close()
    checkins.print_table(rows, checkins.CHINA_STANDARD_TIME, out)
    assert out.getvalue().splitlines()[1:] == [
        "2026-11-25 16:30      320505-001             9",
        "2026-11-25 16:32      320505-002             4",
    ]
    printed = run_example("checkins_per_minute", "--db", str(db), "--report", "--csv", "--utc-offset", "Z")
    assert printed.splitlines() == ["minute,street,checkins", "2026-11-25T08:30+00:00,320505-001,9",
                                    "2026-11-25T08:32+00:00,320505-002,4"]


def run_example(name: str, *args: str, env: Optional[Dict[str, str]] = None) -> str:
    """Runs an example to its end (``--help``, ``--report``) and returns what it printed."""
    done = subprocess.run([sys.executable, str(EXAMPLES / name / f"{name}.py"), *args], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("name", ["checkins_per_minute", "unassigned_medicine"])
def test_each_example_explains_itself(name):
    text = run_example(name, "--help")
    assert "--db" in text and "--report" in text and "README.md" in text
    assert (EXAMPLES / name / "README.md").exists()


# MARK: - unassigned_medicine: unit tests


def states_after(events: Sequence[Event]) -> Dict[str, Any]:
    return medicine.fold({}, events)


def listed(events: Sequence[Event], now: datetime, **options: Any) -> List[str]:
    return [line.request_id for line in medicine.overdue(states_after(events).values(), now, **options)]


def test_a_medicine_request_nobody_took_is_listed_after_15_minutes():
    request = new_id()
    events = [request_event("intake.request.created", request, T0),
              request_event("matching.request.unassigned", request, T0 + timedelta(seconds=1))]
    since = T0 + timedelta(seconds=1)
    assert listed(events, since + timedelta(minutes=15)) == [], "15 minutes is not more than 15 minutes"
    assert listed(events, since + timedelta(minutes=15, milliseconds=1)) == [request]
    [line] = medicine.overdue(states_after(events).values(), since + timedelta(minutes=40))
    assert (line.waiting_minutes, line.compound, line.urgency, line.zone) == (40, "320505-001-001-01", "urgent", "sealed")
    assert line.filed_at == T0 and line.waiting_since == since
    assert line.reason == "no eligible volunteer nearby with the skill this request needs"
    assert listed(events, since + timedelta(minutes=6), older_than=timedelta(minutes=5)) == [request]


@pytest.mark.parametrize("closing", [
    ("intake.request.cancelled", {"status": "cancelled", "previousStatus": "unassigned"}),
    ("intake.request.merged", {"status": "merged", "previousStatus": "unassigned", "mergedInto": "0b5e8f36-08a8-4d43-a1a4-3c1bd0b39c2f"}),
    ("intake.request.status-changed", {"status": "delivered", "previousStatus": "unassigned", "cause": "supplies.dispatch.delivered"}),
    ("intake.request.status-changed", {"status": "completed", "previousStatus": "unassigned", "cause": "matching.task.completed"}),
    ("matching.request.released", {}),
    ("matching.task.completed", {}),
])
def test_a_closed_request_leaves_the_list_whatever_the_order_of_arrival(closing):
    topic, data = closing
    request = new_id()
    events = [request_event("intake.request.created", request, T0),
              request_event("matching.request.unassigned", request, T0 + timedelta(seconds=1)),
              request_event(topic, request, T0 + timedelta(minutes=20), **data)]
    later = T0 + timedelta(hours=1)
    assert listed(events[:2], later) == [request]
    assert listed(events, later) == []
    assert listed(list(reversed(events)), later) == []


def test_a_request_that_only_moved_to_unassigned_in_intake_is_still_listed():
    """intake.request.status-changed into unassigned mirrors matching; it closes nothing."""
    request = new_id()
    events = [request_event("intake.request.created", request, T0),
              request_event("matching.request.unassigned", request, T0 + timedelta(seconds=1)),
              request_event("intake.request.status-changed", request, T0 + timedelta(seconds=2), status="unassigned",
                            previousStatus="open", cause="matching.request.unassigned")]
    assert listed(events, T0 + timedelta(minutes=30)) == [request]


def test_an_offer_or_assignment_after_the_announcement_takes_a_request_off_the_list():
    request = new_id()
    created = request_event("intake.request.created", request, T0)
    offered = request_event("matching.request.offered", request, T0 + timedelta(seconds=1))
    unassigned = request_event("matching.request.unassigned", request, T0 + timedelta(minutes=15))
    later = T0 + timedelta(hours=1)
    # An offer that lapsed before the announcement does not count…
    assert listed([created, offered, unassigned], later) == [request]
    assert listed([unassigned, offered, created], later) == [request]
    # …an assignment after it does.
    assigned = request_event("matching.request.assigned", request, T0 + timedelta(minutes=16))
    assert listed([created, unassigned, assigned], later) == []
    assert listed([assigned, created, unassigned], later) == []


def test_a_volunteer_taken_off_duty_puts_the_request_back_on_the_desk():
    """Assigned, then the volunteer was suspended and nobody else is available: matching
    announces it unassigned again, and it waits from that moment."""
    request = new_id()
    back = T0 + timedelta(minutes=30)
    events = [request_event("intake.request.created", request, T0),
              request_event("matching.request.offered", request, T0 + timedelta(seconds=1)),
              request_event("matching.request.assigned", request, T0 + timedelta(minutes=2)),
              request_event("matching.request.unassigned", request, back,
                            reason="the volunteer holding it was taken off duty and nobody else nearby is available")]
    assert listed(events, back + timedelta(minutes=15)) == []
    assert listed(events, back + timedelta(minutes=16)) == [request]


def test_only_the_watched_categories_are_listed_and_only_once_the_category_is_known():
    medicine_request, groceries = new_id(), new_id()
    late = T0 + timedelta(hours=1)
    unassigned = [request_event("matching.request.unassigned", medicine_request, T0),
                  request_event("matching.request.unassigned", groceries, T0)]
    # The matching events came first (no order across topics): the category is not known yet.
    assert listed(unassigned, late) == []
    created = [request_event("intake.request.created", medicine_request, T0 - timedelta(seconds=1)),
               request_event("intake.request.created", groceries, T0 - timedelta(seconds=1), category="groceries")]
    assert listed(unassigned + created, late) == [medicine_request]
    assert listed(unassigned + created, late, categories=("groceries", "medicine")) == sorted([medicine_request, groceries])


def test_the_state_after_a_request_s_events_does_not_depend_on_their_order():
    request = new_id()
    events = [
        request_event("intake.request.created", request, T0),
        request_event("matching.request.offered", request, T0 + timedelta(seconds=1)),
        request_event("matching.request.unassigned", request, T0 + timedelta(minutes=15)),
        request_event("intake.request.status-changed", request, T0 + timedelta(minutes=15, seconds=1), status="unassigned",
                      previousStatus="open", cause="matching.request.unassigned"),
        request_event("matching.request.released", request, T0 + timedelta(minutes=40)),
        request_event("intake.request.cancelled", request, T0 + timedelta(minutes=40), status="cancelled",
                      previousStatus="unassigned"),
    ]
    states = {tuple(sorted(vars(states_after(order)[request]).items())) for order in itertools.permutations(events)}
    assert len(states) == 1
    state = states_after(events)[request]
    assert state.closed_at == T0 + timedelta(minutes=40) and state.events == 6
    # Without its closing events, every order leaves it waiting since the announcement.
    waiting = {states_after(order)[request].waiting_since() for order in itertools.permutations(events[:4])}
    assert waiting == {T0 + timedelta(minutes=15)}


def test_the_requests_and_the_positions_are_saved_together_or_not_at_all(tmp_path):
    db = tmp_path / "desk.sqlite"
    a, b = new_id(), new_id()
    first = [request_event("intake.request.created", a, T0), request_event("matching.request.unassigned", a, T0)]
    second = [request_event("intake.request.created", b, T0), request_event("matching.request.unassigned", b, T0),
              request_event("matching.request.released", a, T0 + timedelta(minutes=1))]

    def save(events):
        def apply_batch(store):
            store.save(medicine.fold(store.load([medicine.request_id_of(e) for e in events]), events))
        return apply_batch

    def positions(events):
        return {e.topic: e.seq for e in events}

    _commit_batch(db, medicine.RequestStore, save(first), positions(first))
    _commit_batch(db, medicine.RequestStore, save(second), positions(second), fail=True)
    checkpoint = SQLiteCheckpoint(str(db), consumer="test")
    store = medicine.RequestStore(checkpoint.connection)
    assert checkpoint.load() == positions(first)
    assert [s.request_id for s in store.waiting()] == [a]
    assert store.load([a])[a] == medicine.fold({}, first)[a], "a state does not survive the round trip through SQLite"
    checkpoint.close()
    _commit_batch(db, medicine.RequestStore, save(second), positions(second))
    checkpoint = SQLiteCheckpoint(str(db), consumer="test")
    store = medicine.RequestStore(checkpoint.connection)
    assert [s.request_id for s in store.waiting()] == [b]
    assert {rid: s.events for rid, s in store.load([a, b]).items()} == {a: 3, b: 2}
    checkpoint.close()


def test_the_report_judges_at_the_time_it_is_given(tmp_path):
    db = tmp_path / "desk.sqlite"
    request = new_id()
    events = [request_event("intake.request.created", request, T0),
              request_event("matching.request.unassigned", request, T0 + timedelta(minutes=1))]
    _commit_batch(db, medicine.RequestStore, lambda store: store.save(medicine.fold({}, events)), {})
    early = run_example("unassigned_medicine", "--db", str(db), "--report", "--now", "2026-11-25T16:46:00+08:00")
    assert early.splitlines() == ["2026-11-25 16:46: 0 medicine request(s) unassigned for more than 15 min"]
    text = run_example("unassigned_medicine", "--db", str(db), "--report", "--now", "2026-11-25T09:01:00Z")
    assert text.splitlines() == ["2026-11-25 17:01: 1 medicine request(s) unassigned for more than 15 min",
                                 f"  {request}  320505-001-001-01  urgent   sealed     since 16:31 (30 min)  "
                                 "no eligible volunteer nearby with the skill this request needs"]
    late = run_example("unassigned_medicine", "--db", str(db), "--report", "--csv", "--now", "2026-11-25T09:01:00Z")
    rows = list(csv.DictReader(io.StringIO(late)))
    assert [(r["request_id"], r["waiting_minutes"], r["unassigned_since"]) for r in rows] == [
        (request, "30", "2026-11-25T16:31:00+08:00")]
    refused = subprocess.run([sys.executable, str(EXAMPLES / "unassigned_medicine" / "unassigned_medicine.py"),
                              "--db", str(db), "--now", "2026-11-25T09:01:00Z"], capture_output=True, text=True)
    assert refused.returncode == 2 and "--now goes with --report" in refused.stderr


# MARK: - Against the real services


class Suite:
    """A private suite for the examples: :class:`stack.Stack` (PostgreSQL, shouwang-bus
    with CURVE, the CLI) plus the real shouwang-intake and shouwang-matching, each with its
    own service key granted what Deploy/keys/provision.sh grants it, a token secret for
    ``shouwang token``, and the areas of one district loaded over HTTP."""

    DISTRICT = "320505"
    AREAS = [
        ("320505", "District"), ("320505-001", "Street one"), ("320505-002", "Street two"),
        ("320505-001-001", "Community 1-1"), ("320505-002-001", "Community 2-1"),
        ("320505-001-001-01", "Compound 1-1-1"), ("320505-001-001-02", "Compound 1-1-2"),
        ("320505-002-001-01", "Compound 2-1-1"),
    ]
    SERVICES = {
        "intake": ["matching.", "supplies.", "outreach."],
        "matching": ["intake.", "supplies.dispatch.delivered", "supplies.purchase.delivered"],
    }

    def __init__(self) -> None:
        self.stack = Stack()
        self.ports: Dict[str, int] = {}
        self.services: Dict[str, Process] = {}

    def start(self) -> "Suite":
        stack = self.stack.start()
        stack.env["SHOUWANG_TOKEN_SECRET"] = secrets.token_hex(32)
        for service, reads in self.SERVICES.items():
            key = stack.folder / "keys" / f"{service}.key"
            grants = [arg for prefix in reads for arg in ("--prefix", prefix)]
            stack.cli("keys", "create", "--name", f"{service}-service", "--role", "service", "--stream", service, *grants,
                      "--secret-file", str(key))
            self.ports[service] = free_port()
            env = dict(stack.env, SHOUWANG_BUS_SECRET_KEY_FILE=str(key), SHOUWANG_HTTP_PORT=str(self.ports[service]),
                       SHOUWANG_DRAIN_SECONDS="0", SHOUWANG_SHUTDOWN_GRACE_SECONDS="5")
            self.services[service] = stack.spawn(service, [str(stack.bin / f"shouwang-{service}")], env=env)
        for service, process in self.services.items():
            if not wait_until(lambda: self.status(service, "/readyz") == 200, 90, 0.2):
                raise RuntimeError(f"shouwang-{service} did not become ready:\n{process.errors}")
        self.operator = self.token("operator", None, "examples-test-operator")
        status, body = self.http("intake", "PUT", "/v1/areas", [{"code": c, "name": n} for c, n in self.AREAS], self.operator)
        assert status == 200, body
        return self

    def close(self) -> None:
        self.stack.close()

    def status(self, service: str, path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[service]}{path}", timeout=2) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def token(self, role: str, area: Optional[str], subject: str) -> str:
        args = ["token", "--role", role, "--subject", subject] + (["--area", area] if area else [])
        return self.stack.cli(*args).strip().split()[-1]

    def http(self, service: str, method: str, path: str, body: Any, token: str) -> Tuple[int, Any]:
        """One JSON request to a service; the status and the decoded answer."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.ports[service]}{path}", method=method, data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def integrator(self, name: str, *prefixes: str) -> Path:
        """A key for an example, registered with exactly the grants its README asks for;
        returns its secret file once the bus accepts it (keys reach the bus within 2 s)."""
        key = self.stack.folder / "keys" / f"{name}.key"
        grants = [arg for prefix in prefixes for arg in ("--prefix", prefix)]
        self.stack.cli("keys", "create", "--name", name, "--role", "integrator", *grants, "--secret-file", str(key))
        endpoints = self.endpoints(key)
        if not wait_until(lambda: _pings(endpoints), 30, 0.3):
            raise RuntimeError(f"the bus does not accept the key {name}")
        return key

    def endpoints(self, key: Path) -> shouwang_bus.BusEndpoints:
        return shouwang_bus.BusEndpoints(
            subscribe=self.stack.env["SHOUWANG_BUS_SUBSCRIBE"], replay=self.stack.env["SHOUWANG_BUS_REPLAY"],
            server_key=self.stack.server_key, secret_key=key.read_text().strip(),
        )

    def example(self, name: str, key: Path, *args: str) -> Process:
        """Starts an example in follow mode as an integrator would: its key and the bus's
        public key from the environment."""
        env = dict(self.stack.env, SHOUWANG_BUS_SECRET_KEY_FILE=str(key), PYTHONUNBUFFERED="1")
        env.pop("SHOUWANG_TOKEN_SECRET", None)
        env.pop("SHOUWANG_DATABASE_URL", None)  # an integrator has no database access: the bus only
        return self.stack.spawn(name, [sys.executable, str(EXAMPLES / name / f"{name}.py"), *args], env=env)

    def report(self, name: str, *args: str) -> str:
        return run_example(name, *args, env=dict(os.environ))

    def sql(self, query: str) -> List[List[str]]:
        """Rows of a query on the suite's database (the oracle the examples are checked against)."""
        done = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", self.stack.database_url,
                               "-c", query], capture_output=True, text=True, check=True)
        return [line.split("\t") for line in done.stdout.splitlines() if line]

    def heads(self, key: Path, prefixes: Sequence[str]) -> Dict[str, int]:
        found: Dict[str, int] = {}
        for prefix in prefixes:
            found.update(shouwang_bus.heads(prefix, self.endpoints(key)))
        return found


def _pings(endpoints: shouwang_bus.BusEndpoints) -> bool:
    try:
        shouwang_bus.ping(endpoints, timeout=0.5)
        return True
    except shouwang_bus.BusError:
        return False


@pytest.fixture(scope="module")
def suite():
    running = Suite()
    started = time.monotonic()
    try:
        yield running.start()
    finally:
        running.close()
        print(f"\nthe examples' suite ran for {time.monotonic() - started:.1f} s in all")


def sqlite_rows(db: Path, query: str) -> List[tuple]:
    """Rows of the example's SQLite file, read while it runs (WAL: readers do not block it)."""
    if not db.exists():
        return []
    connection = sqlite3.connect(db, timeout=30)
    try:
        return connection.execute(query).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        connection.close()


def positions_of(db: Path, consumer: str) -> Dict[str, int]:
    return dict(sqlite_rows(db, f"SELECT topic, seq FROM shouwang_positions WHERE consumer = '{consumer}'"))


def settle(read: Callable[[], Any], quiet_for: float = 2.0, timeout: float = 60) -> Any:
    """``read()`` once it has not changed for ``quiet_for`` seconds: the services have
    finished reacting to each other."""
    value, since, deadline = read(), time.monotonic(), time.monotonic() + timeout
    while time.monotonic() - since < quiet_for:
        assert time.monotonic() < deadline, f"still changing after {timeout} s: {value}"
        time.sleep(0.2)
        current = read()
        if current != value:
            value, since = current, time.monotonic()
    return value


def kill_when(condition, process: Process, rng: random.Random, timeout: float = 60) -> None:
    """kill -9 once ``condition`` holds, after a random moment more: wherever it is, even
    inside a transaction."""
    assert wait_until(condition, timeout, 0.01), f"the example never got going: {process.errors}"
    time.sleep(rng.uniform(0.0, 0.05))
    process.kill()


@pytest.mark.bus
def test_check_ins_per_street_per_minute_from_the_real_intake_through_kills(suite, tmp_path):
    """Check-ins posted to shouwang-intake by a device, in batches over three sites in two
    streets, while the example counts them; it is killed with -9 twice, mid-stream, and
    check-ins go on being posted while it is down. In the end its table equals intake's
    own outbox, street by street and minute by minute, and the accepted check-ins."""
    started = time.monotonic()
    seed = int(os.environ.get("SHOUWANG_PYCLIENT_SEED", str(int(time.time()))))
    rng, device_rng = random.Random(seed), random.Random(seed + 1)
    key = suite.integrator("street-dashboard", checkins.TOPIC)
    operator = suite.operator
    now = datetime.now(timezone.utc)
    status, created = suite.http("intake", "POST", "/v1/testing-rounds", {
        "name": "Round 1", "area": Suite.DISTRICT, "startsAt": format_timestamp(now - timedelta(hours=1)),
        "endsAt": format_timestamp(now + timedelta(hours=12)), "poolSize": 1}, operator)
    assert status == 201, created
    round_id = created["id"]
    sites = {}
    for area in ["320505-001-001", "320505-001-001-02", "320505-002-001-01"]:
        status, site = suite.http("intake", "POST", f"/v1/testing-rounds/{round_id}/sites", {
            "area": area, "name": f"Site {area}", "opensAt": "00:00", "closesAt": "23:59", "expectedPopulation": 5000}, operator)
        assert status == 201, site
        sites[site["id"]] = area
    device = suite.token("device", Suite.DISTRICT, "scanner-0001")

    accepted_per_street: Dict[str, int] = {}
    posts, killed = 40, [threading.Event(), threading.Event()]
    failures: List[str] = []

    def post_checkins() -> None:
        """A device's batches: 1–6 residents at each of the three sites. After a quarter and
        after half of them it waits until the test has killed the example, so that
        check-ins keep coming while the example is down."""
        serial = 0
        for post in range(posts):
            if post == posts // 4:
                killed[0].wait(60)
            if post == posts // 2:
                killed[1].wait(60)
            items = []
            for site_id in sites:
                for _ in range(device_rng.randint(1, 6)):
                    serial += 1
                    items.append({"roundId": round_id, "siteId": site_id, "residentCode": f"R{serial:08d}",
                                  "tubeBarcode": f"TB{round_id[:8]}{serial:08d}", "operator": "op-0001",
                                  "scannedAt": format_timestamp(datetime.now(timezone.utc))})
            status, answer = suite.http("intake", "POST", "/v1/checkins", {"items": items}, device)
            if status != 200:
                failures.append(f"{status}: {answer}")
                return
            for item, result in zip(items, answer["results"]):
                if result["status"] == "accepted":
                    street = checkins.street_of(sites[item["siteId"]])
                    accepted_per_street[street] = accepted_per_street.get(street, 0) + 1
            time.sleep(0.02)

    db = tmp_path / "checkins.sqlite"
    args = ["--db", str(db), "--batch-size", "3", "--every", "0.5", "--window", "5"]
    poster = threading.Thread(target=post_checkins, daemon=True)
    example = suite.example("checkins_per_minute", key, *args)
    poster.start()

    def counted() -> int:
        return sum(row[0] for row in sqlite_rows(db, "SELECT checkins FROM checkins_per_minute"))

    at_kill = []
    for kill in killed:
        before = counted()
        kill_when(lambda: counted() > before, example, rng)
        at_kill.append(counted())
        kill.set()  # the device posts on while the example is down
        time.sleep(0.5)
        example = suite.example("checkins_per_minute", key, *args)
    poster.join(120)
    assert not poster.is_alive() and not failures, failures
    total = sum(accepted_per_street.values())
    assert total > posts * 3, accepted_per_street
    assert wait_until(lambda: counted() >= total, 60, 0.1), f"{counted()} of {total}: {example.errors}"
    time.sleep(1.5)  # anything counted twice would show up now
    assert example.popen.poll() is None, f"the example died: {example.errors}"
    assert counted() == total, f"{counted()} counted, {total} accepted"
    assert all(0 < n < total for n in at_kill), f"a kill did not land mid-stream: {at_kill} of {total}"
    assert positions_of(db, "checkins_per_minute") == suite.heads(key, [checkins.TOPIC])
    assert example.terminate() == 0, example.errors

    # Street by street and minute by minute, what intake itself wrote in its outbox (its time
    # rounded to the millisecond as the bus sends it: RelaySequencer, ReplayStore).
    expected: Dict[Tuple[datetime, str], int] = {}
    for minute, area, n in suite.sql(
            "SELECT to_char(date_trunc('minute', to_timestamp((extract(epoch FROM occurred_at) * 1000)::bigint / 1000.0)"
            " AT TIME ZONE 'UTC'), 'YYYY-MM-DD\"T\"HH24:MI'), area, sum((data->>'count')::numeric)"
            " FROM outbox WHERE topic = 'intake.checkins.recorded' GROUP BY 1, 2"):
        cell = (datetime.strptime(minute, "%Y-%m-%dT%H:%M").replace(tzinfo=timezone.utc), checkins.street_of(area))
        expected[cell] = expected.get(cell, 0) + int(n)
    printed = suite.report("checkins_per_minute", "--db", str(db), "--report", "--csv", "--round", round_id)
    reported = {(datetime.fromisoformat(row["minute"]), row["street"]): int(row["checkins"])
                for row in csv.DictReader(io.StringIO(printed))}
    assert reported == expected
    per_street: Dict[str, int] = {}
    for (_, street), n in reported.items():
        per_street[street] = per_street.get(street, 0) + n
    assert per_street == accepted_per_street
    assert set(per_street) == {"320505-001", "320505-002"}
    # Follow mode printed tables of the recent minutes; nothing in them but codes and counts.
    assert "check-ins" in example.output and "R0000" not in example.output
    print(f"\n{total} check-ins in {len(reported)} street-minutes; killed at {at_kill} (seed {seed}); "
          f"{time.monotonic() - started:.1f} s")


@pytest.mark.bus
def test_unassigned_medicine_requests_from_the_real_intake_and_matching_through_a_kill(suite, tmp_path):
    """Requests filed with shouwang-intake in a district where no volunteer is available,
    so shouwang-matching announces each unassigned at once: the medicine ones stay on the
    desk's list, a cancelled one and a groceries one do not. The example is killed with -9
    after the first announcement; the rest happens while it is down."""
    started = time.monotonic()
    rng = random.Random(int(os.environ.get("SHOUWANG_PYCLIENT_SEED", str(int(time.time())))))
    key = suite.integrator("civil-affairs-desk", *medicine.PREFIXES)
    operator = suite.operator
    personal = {"contactName": "Zhang Testperson", "contactPhone": "13912345678"}

    def file(category: str, compound: str, n: int) -> str:
        details = {"drugName": "amlodipine", "dose": "5 mg daily"} if category == "medicine" else {"note": "vegetables"}
        status, answer = suite.http("intake", "POST", "/v1/requests", {
            "category": category, "details": details, "urgency": "urgent", "compound": compound, "zone": "sealed",
            "address": f"Building {n}, Room 10{n}", "filedBy": "phone-operator", **personal}, operator)
        assert status == 201 and answer.get("probableDuplicateOf") is None, answer
        return answer["id"]

    def announced(topic: str, request: str) -> bool:
        return bool(suite.sql(f"SELECT 1 FROM outbox WHERE topic = '{topic}' AND key = '{request}' AND seq IS NOT NULL"))

    db = tmp_path / "desk.sqlite"
    args = ["--db", str(db), "--batch-size", "1"]
    example = suite.example("unassigned_medicine", key, *args)
    waiting = file("medicine", "320505-001-001-01", 1)
    to_cancel = file("medicine", "320505-001-001-02", 2)
    assert wait_until(lambda: announced("matching.request.unassigned", to_cancel), 30, 0.1), suite.services["matching"].errors

    def seen(request: str) -> bool:
        return bool(sqlite_rows(db, f"SELECT 1 FROM requests WHERE request_id = '{request}' AND unassigned_at IS NOT NULL"))

    kill_when(lambda: seen(waiting), example, rng)
    # While the desk is down: one cancelled, a groceries request and another medicine one filed.
    status, answer = suite.http("intake", "POST", f"/v1/requests/{to_cancel}/cancel", {"reason": "resolved by the family"},
                                operator)
    assert status == 200, answer
    groceries = file("groceries", "320505-002-001-01", 3)
    later = file("medicine", "320505-002-001-01", 4)
    requests = [waiting, to_cancel, groceries, later]
    assert wait_until(lambda: all(announced("matching.request.unassigned", r) for r in (groceries, later))
                      and announced("matching.request.released", to_cancel), 30, 0.1), suite.services["matching"].errors
    example = suite.example("unassigned_medicine", key, *args)

    followed = "'" + "', '".join(sorted({"intake.request.created", "intake.request.cancelled", "intake.request.merged",
                                         "intake.request.status-changed"} | medicine.TAKEN_TOPICS | medicine.CLOSING_TOPICS
                                        | {medicine.UNASSIGNED_TOPIC})) + "'"

    keys = ", ".join(f"'{request}'" for request in requests)

    def published() -> Dict[str, int]:
        """Per request, the events of the followed topics the bus has sequenced (intake's
        own outbox: the oracle)."""
        rows = suite.sql(f"SELECT key, count(*) FROM outbox WHERE topic IN ({followed}) AND seq IS NOT NULL"
                         f" AND key IN ({keys}) GROUP BY key")
        return {k: int(n) for k, n in rows}

    def caught_up() -> bool:
        heads = suite.heads(key, medicine.PREFIXES)
        return bool(heads) and positions_of(db, "unassigned_medicine") == heads

    def applied() -> Dict[str, int]:
        return dict(sqlite_rows(db, "SELECT request_id, events FROM requests"))

    # Intake answers matching's announcements (status-changed): wait until the services are
    # quiet, then until the desk has caught up with the bus.
    expected = settle(published)
    assert wait_until(lambda: caught_up() and applied() == expected, 60, 0.3), f"{applied()} {expected}: {example.errors}"
    time.sleep(1.5)  # anything applied twice would show up now
    assert example.popen.poll() is None, example.errors
    assert applied() == expected == published() and set(expected) == set(requests), "an event was missed or applied twice"
    assert caught_up()
    assert example.terminate() == 0, example.errors

    now = datetime.now(timezone.utc)

    def desk(at: datetime, *extra: str) -> List[Dict[str, str]]:
        printed = suite.report("unassigned_medicine", "--db", str(db), "--report", "--csv", "--now", at.isoformat(), *extra)
        assert all(value not in printed for value in personal.values()) and "Building" not in printed
        return list(csv.DictReader(io.StringIO(printed)))

    assert desk(now + timedelta(minutes=10)) == []
    listed_rows = desk(now + timedelta(minutes=16))
    assert [row["request_id"] for row in listed_rows] == [waiting, later]
    assert [row["compound"] for row in listed_rows] == ["320505-001-001-01", "320505-002-001-01"]
    assert all(row["urgency"] == "urgent" and row["zone"] == "sealed" and row["reason"] for row in listed_rows)
    assert [row["request_id"] for row in desk(now + timedelta(minutes=16), "--category", "groceries")] == [groceries]
    printed = "".join(p.output for p in suite.stack.processes if p.name.startswith("unassigned_medicine"))
    assert "medicine request(s) unassigned" in printed
    assert all(value not in printed for value in personal.values())
    print(f"\n{len(requests)} requests followed through a kill; {time.monotonic() - started:.1f} s")
