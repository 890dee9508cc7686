#!/usr/bin/env python3
"""Validates every event in the outboxes of the test run's databases against its topic's
schema in docs/events.schema.json: what the services really emitted, not what a test chose
to look at. A topic without a schema fails too. Standard library plus `jsonschema`.

Usage: check-events.py ADMIN_DATABASE_URL [DATABASE_PREFIX]   (prefix default: t_)
"""
import collections
import json
import pathlib
import re
import subprocess
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]


def psql(url, sql):
    done = subprocess.run(["psql", url, "-AtX", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip())
    return done.stdout.splitlines()


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) > 1 else 2
    admin, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "t_")
    contract = json.loads((ROOT / "docs/events.schema.json").read_text())
    validators = {topic: jsonschema.Draft202012Validator(schema) for topic, schema in contract["topics"].items()}
    patterns = [(re.compile(p), jsonschema.Draft202012Validator(s)) for p, s in contract["topicPatterns"].items()]
    base = admin.rsplit("/", 1)[0]
    databases = psql(admin, f"SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%' ORDER BY datname")
    checked, failures, seen = 0, collections.defaultdict(list), collections.Counter()
    for name in databases:
        try:
            rows = psql(f"{base}/{name}", "SELECT topic || E'\\t' || data::text FROM outbox")
        except RuntimeError:
            continue  # a database without an outbox (a migration test's)
        for row in rows:
            topic, _, text = row.partition("\t")
            validator = validators.get(topic) or next((v for p, v in patterns if p.match(topic)), None)
            checked += 1
            seen[topic] += 1
            if validator is None:
                failures[topic].append(f"{name}: no schema for this topic in docs/events.schema.json")
                continue
            errors = sorted(validator.iter_errors(json.loads(text)), key=lambda e: list(e.path))
            if errors:
                failures[topic].append(f"{name}: {'; '.join(e.message for e in errors[:3])}  data={text[:300]}")
    print(f"checked {checked} events of {len(seen)} topics in {len(databases)} databases")
    for topic, problems in sorted(failures.items()):
        print(f"  {topic}: {len(problems)} event(s) do not match")
        for line in problems[:3]:
            print(f"      {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
