#!/usr/bin/env python3
"""Print every event under the given prefixes, once, in order per topic — across restarts.

Each batch of events is recorded in a SQLite file (table ``events``) in the same
transaction as the subscriber's positions (table ``shouwang_positions``), so the table holds
every event exactly once whatever happens: kill this script at any moment (even with
``kill -9``), restart the bus, restart it: it resumes where its last transaction ended.
The printout comes after each commit: what is printed is recorded, and a batch printed
when the process died may be missing from the printout (never from the table).

    export SHOUWANG_BUS_SERVER_KEY=…                 # the bus's public key, from the operator
    export SHOUWANG_BUS_SECRET_KEY_FILE=my.key       # your secret key (shouwang keys generate)
    python tail.py test. --db tail.sqlite

    sqlite3 tail.sqlite 'SELECT topic, count(*), max(seq) FROM events GROUP BY topic'

Endpoints default to tcp://127.0.0.1:5551 (subscribe) and :5552 (replay), or
SHOUWANG_BUS_SUBSCRIBE and SHOUWANG_BUS_REPLAY. See docs/INTEGRATORS.md.
"""

import argparse
import contextlib
import json
import logging
import signal
import sys

from shouwang_bus import SQLiteCheckpoint, Subscriber


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("prefixes", nargs="+", help="topic prefixes ending in a dot, e.g. intake. ('' for all)")
    parser.add_argument("--db", default="tail.sqlite", help="SQLite file for the events and the positions")
    parser.add_argument("--start", choices=["beginning", "now"], default="beginning",
                        help="where a new subscriber (empty --db) begins (default: beginning)")
    parser.add_argument("--server-key", help="the bus's public key (else SHOUWANG_BUS_SERVER_KEY)")
    parser.add_argument("--secret-key-file", help="your secret key file (else SHOUWANG_BUS_SECRET_KEY_FILE)")
    parser.add_argument("--quiet", action="store_true", help="record the events, print nothing")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # SIGTERM ends the loop like Ctrl-C: the transaction in progress is rolled back, the
    # events in it come again on the next start.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    # Ctrl-C ends the loop quietly; leaving the block in any way closes the subscriber, then the file.
    with SQLiteCheckpoint(args.db) as checkpoint, Subscriber(
        args.prefixes, checkpoint=checkpoint, start=args.start,
        server_key=args.server_key, secret_key_file=args.secret_key_file,
    ) as subscriber, contextlib.suppress(KeyboardInterrupt):
        db = checkpoint.connection
        db.execute(
            "CREATE TABLE IF NOT EXISTS events ("
            " topic TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, occurred_at TEXT NOT NULL,"
            " key TEXT NOT NULL, area TEXT, data TEXT NOT NULL, PRIMARY KEY (topic, seq))"
        )
        for batch in subscriber.batches():
            with db:  # one transaction: the events and the positions after them
                db.executemany(
                    "INSERT INTO events (topic, seq, id, occurred_at, key, area, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(e.topic, e.seq, e.id, e.to_json()["occurredAt"], e.key, e.area, json.dumps(e.data)) for e in batch],
                )
                subscriber.commit()
            if not args.quiet:
                for event in batch:
                    print(json.dumps(event.to_json(), ensure_ascii=False, separators=(",", ":")))
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
