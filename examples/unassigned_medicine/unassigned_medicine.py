#!/usr/bin/env python3
"""Medicine requests nobody has taken for more than 15 minutes, for a civil-affairs desk.

Follows the requests' lives on the bus (intake.request.*, matching.request.*,
matching.task.completed) and keeps one row per request in a SQLite file, in the same
transaction as the subscriber's positions: kill it at any moment and start it again, and
nothing is lost or applied twice.

    python unassigned_medicine.py --db desk.sqlite               # follow; prints the list when it changes
    python unassigned_medicine.py --db desk.sqlite --report      # print the list kept, and exit
    python unassigned_medicine.py --db desk.sqlite --report --now 2026-11-25T09:00:00+08:00

A request is on the list when matching announced it unassigned (nobody suitable, or nobody
accepted in time: matching.request.unassigned) more than --older-than minutes before now,
nothing since offered or assigned it, and nothing closed it: cancelled or merged (intake),
released or completed (matching), or delivered, completed or followed up (intake's
status-changed). Times are the events' occurredAt, never arrival order: topics carry no
order between them. Only ids, codes and categories are read, kept or printed.

The bus's endpoints and keys come from SHOUWANG_BUS_SUBSCRIBE, SHOUWANG_BUS_REPLAY,
SHOUWANG_BUS_SERVER_KEY and SHOUWANG_BUS_SECRET_KEY_FILE (docs/INTEGRATORS.md); the key
needs the grants intake.request., matching.request. and matching.task.completed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import logging
import signal
import sqlite3
import sys
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List, Optional, Sequence, TextIO

from shouwang_bus import Event, SQLiteCheckpoint, Subscriber
from shouwang_bus.events import format_timestamp, parse_timestamp

PREFIXES = ["intake.request.", "matching.request.", "matching.task.completed"]
#: Intake's events about a request: each carries its category, compound, urgency and zone.
INTAKE_TOPICS = {"intake.request.created", "intake.request.cancelled", "intake.request.merged", "intake.request.status-changed"}
#: Someone is being asked, or holds the task: the request is no longer waiting for the desk.
TAKEN_TOPICS = {"matching.request.offered", "matching.request.assigned"}
#: The dispatch is over for good (nothing reopens a request or a dispatch).
CLOSING_TOPICS = {"intake.request.cancelled", "intake.request.merged", "matching.request.released", "matching.task.completed"}
#: Statuses of intake.request.status-changed after which there is nothing left to assign.
CLOSING_STATUSES = {"delivered", "completed", "followed-up", "cancelled", "merged"}
UNASSIGNED_TOPIC = "matching.request.unassigned"
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

log = logging.getLogger("unassigned_medicine")


# MARK: - A request's dispatch, folded from its events without I/O


@dataclass(frozen=True)
class RequestState:
    """What the events said about one request so far.

    Every field is merged so that the order in which events arrive does not matter (there
    is no order between topics): the descriptive fields keep the first value seen (they do
    not change in a request's life), the times of being unassigned or taken keep the latest
    of their kind, filing and closing the earliest, and closing is for good (ties broken by
    the values themselves). So the state after a set of events is the same whatever order
    they came in. ``events`` counts the events
    applied, which makes a second application visible."""

    request_id: str
    category: Optional[str] = None
    compound: Optional[str] = None
    urgency: Optional[str] = None
    zone: Optional[str] = None
    filed_at: Optional[datetime] = None
    unassigned_at: Optional[datetime] = None
    unassigned_reason: Optional[str] = None
    taken_at: Optional[datetime] = None
    closed_at: Optional[datetime] = None
    closed_by: Optional[str] = None
    events: int = 0

    def waiting_since(self) -> Optional[datetime]:
        """When the request landed on the dispatcher's desk, if it is still there: the last
        unassigned announcement, unless an offer or assignment came later (at the same
        millisecond the request counts as waiting: better listed once too often than
        missed) or the request is closed."""
        if self.closed_at is not None or self.unassigned_at is None:
            return None
        if self.taken_at is not None and self.taken_at > self.unassigned_at:
            return None
        return self.unassigned_at


def _latest(current: Optional[datetime], moment: datetime) -> datetime:
    """The later of two times (``current`` may be unknown)."""
    return moment if current is None or moment > current else current


def _text(data: Dict[str, Any], name: str) -> Optional[str]:
    """A string field of ``data``, or ``None``: a field of another type is ignored rather
    than trusted."""
    value = data.get(name)
    return value if isinstance(value, str) else None


def request_id_of(event: Event) -> Optional[str]:
    """The request an event is about: ``data.requestId`` (every followed topic has it)."""
    return _text(event.data, "requestId")


def apply(state: RequestState, event: Event) -> RequestState:
    """``state`` after ``event``. Pure, and commutative across events: see
    :class:`RequestState`."""
    data, at, topic = event.data, event.occurred_at, event.topic
    state = replace(
        state,
        category=state.category or (_text(data, "category") if topic in INTAKE_TOPICS else None),
        compound=state.compound or _text(data, "compound"),
        urgency=state.urgency or (_text(data, "urgency") if topic in INTAKE_TOPICS else None),
        zone=state.zone or (_text(data, "zone") if topic in INTAKE_TOPICS else None),
        events=state.events + 1,
    )
    if topic == "intake.request.created":
        state = replace(state, filed_at=at if state.filed_at is None else min(state.filed_at, at))
    reason = _text(data, "reason") or ""
    if topic == UNASSIGNED_TOPIC and (
        state.unassigned_at is None or (at, reason) > (state.unassigned_at, state.unassigned_reason or "")
    ):
        state = replace(state, unassigned_at=at, unassigned_reason=reason)
    if topic in TAKEN_TOPICS:
        state = replace(state, taken_at=_latest(state.taken_at, at))
    closing = topic in CLOSING_TOPICS or (
        topic == "intake.request.status-changed" and _text(data, "status") in CLOSING_STATUSES
    )
    if closing and (state.closed_at is None or (at, topic) < (state.closed_at, state.closed_by or "")):
        state = replace(state, closed_at=at, closed_by=topic)
    return state


def fold(states: Dict[str, RequestState], events: Iterable[Event]) -> Dict[str, RequestState]:
    """The states of the requests ``events`` touch, after them (``states`` holds what was
    known before; it is not changed). Events without a request id are skipped."""
    changed: Dict[str, RequestState] = {}
    for event in events:
        request_id = request_id_of(event)
        if request_id is None:
            log.warning("skipped %s #%d: no requestId", event.topic, event.seq)
            continue
        before = changed.get(request_id) or states.get(request_id) or RequestState(request_id)
        changed[request_id] = apply(before, event)
    return changed


@dataclass(frozen=True)
class Overdue:
    """A line of the desk's list."""

    request_id: str
    compound: str
    urgency: str
    zone: str
    waiting_since: datetime
    waiting_minutes: int
    filed_at: Optional[datetime]
    reason: str


def overdue(
    states: Iterable[RequestState], now: datetime, older_than: timedelta = timedelta(minutes=15),
    categories: Sequence[str] = ("medicine",),
) -> List[Overdue]:
    """The requests of ``categories`` waiting for more than ``older_than`` at ``now``,
    longest-waiting first. A request whose category is not known yet (its intake event has
    not arrived) is left out until it is."""
    listed = []
    for state in states:
        since = state.waiting_since()
        if since is None or state.category not in categories or now - since <= older_than:
            continue
        listed.append(
            Overdue(
                request_id=state.request_id, compound=state.compound or "", urgency=state.urgency or "",
                zone=state.zone or "", waiting_since=since, waiting_minutes=int((now - since).total_seconds() // 60),
                filed_at=state.filed_at, reason=state.unassigned_reason or "",
            )
        )
    return sorted(listed, key=lambda line: (line.waiting_since, line.request_id))


# MARK: - The states in SQLite, beside the subscriber's positions

_COLUMNS = [f.name for f in fields(RequestState)]
_TIMES = {"filed_at", "unassigned_at", "taken_at", "closed_at"}


class RequestStore:
    """The table ``requests`` (one row per request) in the subscriber's own SQLite file.

    ``save`` never commits: it is called inside the transaction that also saves the
    subscriber's positions, so a request's row and the positions after the events that
    made it are saved together or not at all."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        with connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS requests ("
                " request_id TEXT PRIMARY KEY, category TEXT, compound TEXT, urgency TEXT, zone TEXT,"
                " filed_at TEXT, unassigned_at TEXT, unassigned_reason TEXT, taken_at TEXT, closed_at TEXT,"
                " closed_by TEXT, events INTEGER NOT NULL)"
            )
            # The desk's question, asked often: open requests that were announced unassigned.
            connection.execute(
                "CREATE INDEX IF NOT EXISTS requests_waiting ON requests (category) "
                "WHERE closed_at IS NULL AND unassigned_at IS NOT NULL"
            )

    @staticmethod
    def _state(row: Sequence[Any]) -> RequestState:
        values: Dict[str, Any] = {name: row[i] for i, name in enumerate(_COLUMNS)}
        for name in _TIMES:
            if values[name] is not None:
                values[name] = parse_timestamp(values[name])
        return RequestState(**values)

    def load(self, request_ids: Iterable[str]) -> Dict[str, RequestState]:
        """The known states of these requests."""
        ids = sorted(set(request_ids))
        states: Dict[str, RequestState] = {}
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = ids[start:start + 500]
            rows = self.connection.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM requests WHERE request_id IN ({', '.join('?' * len(chunk))})", chunk
            ).fetchall()
            states.update((row[0], self._state(row)) for row in rows)
        return states

    def save(self, states: Dict[str, RequestState]) -> None:
        """Writes these states (inside the caller's transaction)."""
        def value(state: RequestState, name: str) -> object:
            raw = getattr(state, name)
            return format_timestamp(raw) if name in _TIMES and raw is not None else raw

        self.connection.executemany(
            f"INSERT OR REPLACE INTO requests ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
            [tuple(value(state, name) for name in _COLUMNS) for state in states.values()],
        )

    def waiting(self) -> List[RequestState]:
        """Open requests announced unassigned at some point: the only ones that may be
        listed (the pure :func:`overdue` decides)."""
        rows = self.connection.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM requests WHERE closed_at IS NULL AND unassigned_at IS NOT NULL"
        ).fetchall()
        return [self._state(row) for row in rows]


# MARK: - Printing


def parse_moment(text: str) -> datetime:
    """``--now``: an RFC 3339 time with its offset (``2026-11-25T09:00:00+08:00``)."""
    try:
        return parse_timestamp(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parse_offset(text: str) -> timezone:
    """``+08:00``, ``-05:30`` or ``Z`` as a fixed time zone, for the printed times."""
    if text in ("Z", "UTC", "+00:00"):
        return timezone.utc
    sign = {"+": 1, "-": -1}.get(text[:1])
    hours, _, minutes = text[1:].partition(":")
    if sign is None or not hours.isdigit() or not (minutes or "0").isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not an offset like +08:00")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or "0")))


def print_list(lines: Sequence[Overdue], now: datetime, older_than: timedelta, zone: timezone, out: TextIO,
               as_csv: bool = False, categories: Sequence[str] = ("medicine",)) -> None:
    """The list as text for the desk (a heading line, then one line per request), or CSV;
    times in ``zone``."""
    def clock(moment: Optional[datetime]) -> str:
        return moment.astimezone(zone).isoformat(timespec="seconds") if moment else ""

    if as_csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["request_id", "compound", "urgency", "zone", "unassigned_since", "waiting_minutes", "filed_at", "reason"])
        for line in lines:
            writer.writerow([line.request_id, line.compound, line.urgency, line.zone, clock(line.waiting_since),
                             line.waiting_minutes, clock(line.filed_at), line.reason])
        out.flush()
        return
    minutes = int(older_than.total_seconds() // 60)
    out.write(f"{now.astimezone(zone).strftime('%Y-%m-%d %H:%M')}: {len(lines)} {'/'.join(categories)} request(s) "
              f"unassigned for more than {minutes} min\n")
    for line in lines:
        out.write(f"  {line.request_id}  {line.compound:<18} {line.urgency:<8} {line.zone:<10} "
                  f"since {line.waiting_since.astimezone(zone).strftime('%H:%M')} ({line.waiting_minutes} min)  {line.reason}\n")
    out.flush()


# MARK: - The program


def arguments(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line (``--help`` says it all)."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].replace("\n", " "),
        epilog="Follow mode prints the list whenever it changes (a request crosses the limit, or leaves the list). "
        "Stop it any way you like; it resumes after the last batch it saved. See README.md.",
    )
    parser.add_argument("--db", default="desk.sqlite", help="SQLite file for the requests and the positions (default: %(default)s)")
    parser.add_argument("--report", action="store_true", help="print the list from --db and exit (no bus needed)")
    parser.add_argument("--now", type=parse_moment, help="with --report: the time to judge at, RFC 3339 (default: the clock)")
    parser.add_argument("--older-than", type=float, default=15.0, metavar="MINUTES",
                        help="how long a request may wait unassigned before it is listed (default: %(default)g)")
    parser.add_argument("--category", action="append", dest="categories", metavar="CATEGORY",
                        help="a request category to watch, repeatable (default: medicine)")
    parser.add_argument("--csv", action="store_true", help="print CSV instead of text")
    parser.add_argument("--utc-offset", type=parse_offset, default=CHINA_STANDARD_TIME, metavar="+HH:MM",
                        help="clock of the printed times (default: +08:00, China Standard Time)")
    parser.add_argument("--start", choices=["beginning", "now"], default="beginning",
                        help="where a new desk (empty --db) begins: every request the bus has, or from now on")
    parser.add_argument("--batch-size", type=int, default=1000, help="events per transaction at most (default: %(default)s)")
    parser.add_argument("--server-key", help="the bus's public key (else SHOUWANG_BUS_SERVER_KEY)")
    parser.add_argument("--secret-key-file", help="your secret key file (else SHOUWANG_BUS_SECRET_KEY_FILE)")
    args = parser.parse_args(argv)
    args.categories = args.categories or ["medicine"]
    if args.now is not None and not args.report:
        parser.error("--now goes with --report (follow mode judges at the clock)")
    return args


def report(args: argparse.Namespace) -> int:
    """``--report``: the list from the file alone, at ``--now``."""
    now = args.now or datetime.now(timezone.utc)
    older_than = timedelta(minutes=args.older_than)
    with SQLiteCheckpoint(args.db, consumer="unassigned_medicine") as checkpoint:
        lines = overdue(RequestStore(checkpoint.connection).waiting(), now, older_than, args.categories)
    print_list(lines, now, older_than, args.utc_offset, sys.stdout, as_csv=args.csv, categories=args.categories)
    return 0


def follow(args: argparse.Namespace) -> int:
    """Follows the requests: each batch's states and the positions after it in one
    transaction; the list printed whenever the requests on it change."""
    older_than = timedelta(minutes=args.older_than)
    shown: Optional[List[str]] = None
    # Ctrl-C, or SIGTERM like it, ends the loop: the transaction in progress is rolled back and
    # its events come again on the next start. Leaving the block closes the subscriber, then the file.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with SQLiteCheckpoint(args.db, consumer="unassigned_medicine") as checkpoint, Subscriber(
        PREFIXES, checkpoint=checkpoint, start=args.start, server_key=args.server_key, secret_key_file=args.secret_key_file
    ) as subscriber, contextlib.suppress(KeyboardInterrupt):
        db = checkpoint.connection
        store = RequestStore(db)
        for batch in subscriber.batches(max_size=args.batch_size, timeout=1.0):
            if batch:
                with db:  # one transaction: the requests' rows and the positions after them
                    ids = [rid for rid in map(request_id_of, batch) if rid is not None]
                    store.save(fold(store.load(ids), batch))
                    subscriber.commit()
            now = datetime.now(timezone.utc)
            lines = overdue(store.waiting(), now, older_than, args.categories)
            if [line.request_id for line in lines] != shown:
                print_list(lines, now, older_than, args.utc_offset, sys.stdout, as_csv=args.csv, categories=args.categories)
                shown = [line.request_id for line in lines]
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Follows the requests (printing the list when it changes), or with --report prints the list kept."""
    args = arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    return report(args) if args.report else follow(args)


if __name__ == "__main__":
    sys.exit(main())
