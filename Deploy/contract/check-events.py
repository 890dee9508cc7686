#!/usr/bin/env python3
"""Validates every event in the outboxes of the test run's databases against its message in
docs/asyncapi.json: the whole envelope as the relay sends it (topic, stream, `v` and `data`),
by the event's topic and version, so what the services really emitted is checked, not what
a test chose to look at. A topic or version without a message fails too. Standard library
plus `jsonschema`.

Usage: check-events.py [--may-be-empty] ADMIN_DATABASE_URL [DATABASE_PREFIX]   (prefix default: t_)

Finding no event at all fails (the check would otherwise pass on nothing), unless
--may-be-empty says so: a filtered test run may emit none.
"""
import collections
import json
import pathlib
import re
import subprocess
import sys

import jsonschema

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from validation import inlined  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]


def psql(url, sql):
    done = subprocess.run(["psql", url, "-AtX", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip())
    return done.stdout.splitlines()


def main():
    arguments = sys.argv[1:]
    may_be_empty = "--may-be-empty" in arguments
    arguments = [argument for argument in arguments if argument != "--may-be-empty"]
    if not arguments or arguments[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if arguments else 2
    admin, prefix = arguments[0], (arguments[1] if len(arguments) > 1 else "t_")
    document = json.loads((ROOT / "docs/asyncapi.json").read_text())
    validators = {}  # (topic, v) -> validator of the whole envelope
    patterns = []  # (address regex, validator)
    for key, channel in document["channels"].items():
        for name, reference in channel["messages"].items():
            if name == "heartbeat":
                continue
            message = inlined(document, reference)
            validator = jsonschema.Draft202012Validator(message["payload"], format_checker=jsonschema.FormatChecker())
            if "{" in channel["address"]:
                patterns.append((re.compile("^" + re.sub(r"\\\{[a-z]+\\\}", "[a-z0-9-]+", re.escape(channel["address"])) + "$"), validator))
            else:
                validators[(channel["address"], message["payload"]["properties"]["v"]["const"])] = validator
    base = admin.rsplit("/", 1)[0]
    databases = psql(admin, f"SELECT datname FROM pg_database WHERE datallowconn AND starts_with(datname, '{prefix}') ORDER BY datname")
    checked, failures, seen = 0, collections.defaultdict(list), collections.Counter()
    for name in databases:
        try:
            rows = psql(
                f"{base}/{name}",
                "SELECT json_build_object('id', id, 'topic', topic, 'seq', coalesce(seq, 1), 'stream', stream, 'v', version, "
                "'occurredAt', to_char(('epoch'::timestamptz + round(extract(epoch FROM occurred_at) * 1000)::bigint * interval '1 millisecond') "
                "AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), 'key', key, "
                "'area', area, 'correlationId', correlation_id, 'data', data)::text FROM outbox",
            )
        except RuntimeError as problem:
            if 'relation "outbox" does not exist' in str(problem):
                continue  # a database without an outbox (a migration test's)
            raise
        for text in rows:
            envelope = {field: value for field, value in json.loads(text).items() if value is not None}
            topic, version = envelope["topic"], envelope["v"]
            validator = validators.get((topic, version)) or next((v for p, v in patterns if p.match(topic)), None)
            checked += 1
            seen[topic] += 1
            if validator is None:
                failures[topic].append(f"{name}: no message for {topic} v{version} in docs/asyncapi.json")
                continue
            errors = sorted(validator.iter_errors(envelope), key=lambda e: list(e.path))
            if errors:
                failures[topic].append(f"{name}: {'; '.join(e.message for e in errors[:3])}  event={text[:300]}")
    print(f"checked {checked} events of {len(seen)} topics in {len(databases)} databases")
    for topic, problems in sorted(failures.items()):
        print(f"  {topic}: {len(problems)} event(s) do not match")
        for line in problems[:3]:
            print(f"      {line}")
    if checked == 0 and not may_be_empty:
        print("error: no event was checked: the tests emitted none, or their databases were not found")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
