#!/usr/bin/env python3
"""Check-ins per street per minute during a testing round, from intake.checkins.recorded.

Follows the bus (every event once, across restarts) and keeps a tally of residents checked
in per round, street and minute in a SQLite file, in the same transaction as the
subscriber's positions: kill it at any moment (even kill -9) and start it again, and the
tally neither loses nor double-counts a check-in.

    python checkins_per_minute.py --db checkins.sqlite            # follow; a table every minute
    python checkins_per_minute.py --db checkins.sqlite --report   # print the tally kept, and exit

The street is the first two levels of the site's area code (320505-001 of
320505-001-001-01), the minute that of the event's occurredAt (when intake recorded the
check-ins), printed in China Standard Time unless --utc-offset says otherwise. Events
carry counts and codes only; nothing personal is read, kept or printed.

The bus's endpoints and keys come from SHOUWANG_BUS_SUBSCRIBE, SHOUWANG_BUS_REPLAY,
SHOUWANG_BUS_SERVER_KEY and SHOUWANG_BUS_SECRET_KEY_FILE (docs/INTEGRATORS.md); the key
needs the grant intake.checkins.recorded (or intake.).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import logging
import signal
import sqlite3
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List, Optional, Sequence, TextIO, Tuple

from shouwang_bus import Event, SQLiteCheckpoint, Subscriber

TOPIC = "intake.checkins.recorded"
#: Where an area code's levels end: district 320505, street 320505-001, community
#: 320505-001-001, compound 320505-001-001-01 (Shared/Models/AreaCode.swift).
LEVEL_WIDTHS = (6, 3, 3, 2)
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")
UNKNOWN_AREA = "unknown"

log = logging.getLogger("checkins_per_minute")


# MARK: - The counting, without I/O


@dataclass(frozen=True, order=True)
class Cell:
    """One cell of the table: a round's check-ins in one street in one minute (UTC).

    The round is kept so that two rounds running at once are never mixed up; the report
    sums them unless asked for one."""

    round_id: str
    street: str
    minute: datetime


def is_area_code(text: str) -> bool:
    """Whether ``text`` has the shape of an area code: six digits, then up to three
    dash-separated groups of 3, 3 and 2 digits. Checked so that a malformed area is
    counted as what it is instead of being cut into a street that does not exist."""
    parts = text.split("-")
    if not 1 <= len(parts) <= len(LEVEL_WIDTHS):
        return False
    return all(len(part) == width and part.isascii() and part.isdigit() for part, width in zip(parts, LEVEL_WIDTHS))


def street_of(area: Optional[str]) -> str:
    """The street (街道) an area lies in: its first two levels. A district-level area has
    no street and is counted as itself, as the suite's own ledger does; an event without a
    readable area goes under ``unknown`` rather than being dropped."""
    if not area or not is_area_code(area):
        return UNKNOWN_AREA
    parts = area.split("-")
    return "-".join(parts[:2])


def minute_of(moment: datetime) -> datetime:
    """The minute ``moment`` falls in, in UTC, so that cells from any clock agree."""
    return moment.astimezone(timezone.utc).replace(second=0, microsecond=0)


def residents_in(data: Dict[str, Any]) -> Optional[int]:
    """The event's ``count`` as a whole number ≥ 0, or ``None`` when it is not one. The
    suite writes numbers through JSON doubles, so ``12.0`` is accepted as 12; ``true`` is
    not a count."""
    value = data.get("count")
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or value < 0:
        return None
    return value


def cell_of(event: Event) -> Optional[Tuple[Cell, int]]:
    """Where one event is counted and how many residents it adds; ``None`` for an event of
    another topic or one without a usable count or round (logged by the caller)."""
    if event.topic != TOPIC:
        return None
    residents = residents_in(event.data)
    round_id = event.data.get("roundId")
    if residents is None or not isinstance(round_id, str):
        return None
    return Cell(round_id, street_of(event.area), minute_of(event.occurred_at)), residents


def tally(events: Iterable[Event]) -> Tuple[Dict[Cell, int], int]:
    """What a batch of events adds to the table, cell by cell, and how many events were
    unusable. Pure: the caller writes the increments in the transaction that also moves
    the positions past these events, which is what makes each event count exactly once."""
    increments: Dict[Cell, int] = defaultdict(int)
    unusable = 0
    for event in events:
        counted = cell_of(event)
        if counted is None:
            unusable += 1
            continue
        cell, residents = counted
        increments[cell] += residents
    return dict(increments), unusable


@dataclass(frozen=True)
class Row:
    """A line of the printed table: the check-ins of one street in one minute."""

    minute: datetime
    street: str
    checkins: int


def table(cells: Dict[Cell, int], round_id: Optional[str] = None, since: Optional[datetime] = None) -> List[Row]:
    """The table to print from the tally: rounds summed (or only ``round_id``), minutes
    from ``since`` on, in order of minute then street."""
    summed: Dict[Tuple[datetime, str], int] = defaultdict(int)
    for cell, checkins in cells.items():
        if round_id is not None and cell.round_id != round_id:
            continue
        if since is not None and cell.minute < since:
            continue
        summed[(cell.minute, cell.street)] += checkins
    return [Row(minute, street, checkins) for (minute, street), checkins in sorted(summed.items())]


# MARK: - The tally in SQLite, beside the subscriber's positions


def format_minute(minute: datetime) -> str:
    """A UTC minute as stored: ``2026-11-25T08:30Z`` (sorts as text in time order)."""
    return minute.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def parse_minute(text: str) -> datetime:
    """The inverse of :func:`format_minute`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%MZ").replace(tzinfo=timezone.utc)


class TallyStore:
    """The table ``checkins_per_minute`` in the subscriber's own SQLite file.

    ``add`` never commits: it is called inside the transaction that also saves the
    subscriber's positions (``SQLiteCheckpoint`` joins an open transaction), so the counts
    and the positions after the events they count are saved together or not at all."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        with connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS checkins_per_minute ("
                " round_id TEXT NOT NULL, street TEXT NOT NULL, minute TEXT NOT NULL,"
                " checkins INTEGER NOT NULL, PRIMARY KEY (round_id, street, minute))"
            )

    def add(self, increments: Dict[Cell, int]) -> None:
        """Adds a batch's increments (inside the caller's transaction)."""
        self.connection.executemany(
            "INSERT INTO checkins_per_minute (round_id, street, minute, checkins) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (round_id, street, minute) DO UPDATE SET checkins = checkins + excluded.checkins",
            [(cell.round_id, cell.street, format_minute(cell.minute), n) for cell, n in sorted(increments.items())],
        )

    def cells(self, since: Optional[datetime] = None) -> Dict[Cell, int]:
        """Everything counted so far, or from the minute ``since`` on (follow mode shows the
        last few minutes and need not read a whole day's rows)."""
        rows = self.connection.execute(
            "SELECT round_id, street, minute, checkins FROM checkins_per_minute WHERE minute >= ?",
            (format_minute(since) if since is not None else "",),
        ).fetchall()
        return {Cell(round_id, street, parse_minute(minute)): n for round_id, street, minute, n in rows}


# MARK: - Printing


def parse_offset(text: str) -> timezone:
    """``+08:00``, ``-05:30`` or ``Z`` as a fixed time zone, for the printed minutes."""
    if text in ("Z", "UTC", "+00:00"):
        return timezone.utc
    sign = {"+": 1, "-": -1}.get(text[:1])
    hours, _, minutes = text[1:].partition(":")
    if sign is None or not hours.isdigit() or not (minutes or "0").isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not an offset like +08:00")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or "0")))


def offset_label(zone: timezone) -> str:
    """``UTC+08:00``: the clock of the printed minutes, said in the header."""
    offset = zone.utcoffset(None)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def print_table(rows: Sequence[Row], zone: timezone, out: TextIO, as_csv: bool = False) -> None:
    """The table as aligned text (for a person) or CSV (for a spreadsheet or a test),
    minutes in ``zone``."""
    if as_csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["minute", "street", "checkins"])
        for row in rows:
            writer.writerow([row.minute.astimezone(zone).isoformat(timespec="minutes"), row.street, row.checkins])
        out.flush()
        return
    label = offset_label(zone)
    out.write(f"{'minute (' + label + ')':<22}{'street':<14}{'check-ins':>10}\n")
    for row in rows:
        out.write(f"{row.minute.astimezone(zone).strftime('%Y-%m-%d %H:%M'):<22}{row.street:<14}{row.checkins:>10}\n")
    out.flush()


# MARK: - The program


def arguments(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line (``--help`` says it all)."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].replace("\n", " "),
        epilog="Follow mode prints the last --window minutes every --every seconds when the tally changed. "
        "Stop it any way you like; it resumes after the last batch it saved. See README.md.",
    )
    parser.add_argument("--db", default="checkins.sqlite", help="SQLite file for the tally and the positions (default: %(default)s)")
    parser.add_argument("--report", action="store_true", help="print the tally kept in --db and exit (no bus needed)")
    parser.add_argument("--round", dest="round_id", metavar="UUID", help="only this testing round (default: all rounds, summed)")
    parser.add_argument("--csv", action="store_true", help="print CSV (minute with its offset, street, checkins)")
    parser.add_argument("--utc-offset", type=parse_offset, default=CHINA_STANDARD_TIME, metavar="+HH:MM",
                        help="clock of the printed minutes (default: +08:00, China Standard Time)")
    parser.add_argument("--window", type=int, default=10, metavar="MINUTES", help="minutes shown in follow mode (default: %(default)s)")
    parser.add_argument("--every", type=float, default=60.0, metavar="SECONDS", help="how often follow mode prints (default: %(default)s)")
    parser.add_argument("--start", choices=["beginning", "now"], default="beginning",
                        help="where a new tally (empty --db) begins: every check-in the bus has, or from now on")
    parser.add_argument("--batch-size", type=int, default=1000, help="events per transaction at most (default: %(default)s)")
    parser.add_argument("--server-key", help="the bus's public key (else SHOUWANG_BUS_SERVER_KEY)")
    parser.add_argument("--secret-key-file", help="your secret key file (else SHOUWANG_BUS_SECRET_KEY_FILE)")
    return parser.parse_args(argv)


def report(args: argparse.Namespace) -> int:
    """``--report``: the table from the file alone, so a desk can look without a bus key."""
    with SQLiteCheckpoint(args.db) as checkpoint:
        rows = table(TallyStore(checkpoint.connection).cells(), round_id=args.round_id)
    print_table(rows, args.utc_offset, sys.stdout, as_csv=args.csv)
    return 0


def follow(args: argparse.Namespace) -> int:
    """Follows the topic: each batch's increments and the positions after it in one
    transaction, then, now and then, the recent minutes on stdout."""
    # The first table comes with the first batch; then at most one every --every seconds.
    changed, last_print = False, float("-inf")
    # Ctrl-C, or SIGTERM like it, ends the loop: the transaction in progress is rolled back and
    # its events come again on the next start. Leaving the block closes the subscriber, then the file.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with SQLiteCheckpoint(args.db, consumer="checkins_per_minute") as checkpoint, Subscriber(
        [TOPIC], checkpoint=checkpoint, start=args.start, server_key=args.server_key, secret_key_file=args.secret_key_file
    ) as subscriber, contextlib.suppress(KeyboardInterrupt):
        db = checkpoint.connection
        store = TallyStore(db)
        for batch in subscriber.batches(max_size=args.batch_size, timeout=1.0):
            if batch:
                increments, unusable = tally(batch)
                with db:  # one transaction: the counts and the positions after them
                    store.add(increments)
                    subscriber.commit()
                if unusable:
                    log.warning("%d event(s) without a usable count or round were skipped", unusable)
                changed = changed or bool(increments)
            if changed and time.monotonic() - last_print >= args.every:
                since = minute_of(datetime.now(timezone.utc)) - timedelta(minutes=args.window - 1)
                print_table(table(store.cells(since), args.round_id, since), args.utc_offset, sys.stdout, as_csv=args.csv)
                changed, last_print = False, time.monotonic()
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Follows the check-ins (printing the recent minutes), or with --report prints the tally kept."""
    args = arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    return report(args) if args.report else follow(args)


if __name__ == "__main__":
    sys.exit(main())
