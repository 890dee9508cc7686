#!/usr/bin/env python3
"""The chaos suite's client side: seeding, the check-in surge, waiting, and the checks.

Run by Deploy/chaos/run.sh, which owns every process; this file only talks HTTP to the
intake replicas, reads the database with psql and reads the subscriber's output.
Python 3 standard library only (urllib + threads), so CI needs nothing from pip.

    chaos.py setup --url U --token T                     -> prints "ROUND SITE"
    chaos.py surge --urls U1,U2 --token T --round R --site S --seconds N --out DIR
    chaos.py wait  --events FILE --timeout N             (psql from PG* environment)
    chaos.py check --events FILE --out DIR               -> verdict; exit 1 on failure
"""

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

STREAM = "intake"
RECORDED = "intake.checkins.recorded"


# --- HTTP -----------------------------------------------------------------------------

def post(url, body, token, key=None, method="POST", timeout=15.0):
    """One request; returns (status, parsed JSON or text). Raises on connection errors."""
    data = json.dumps(body, separators=(",", ":")).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", "Bearer " + token)
    if key is not None:
        request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status, text = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text.decode(errors="replace")


def wait_ready(urls, seconds):
    deadline = time.monotonic() + seconds
    for url in urls:
        while True:
            try:
                with urllib.request.urlopen(url + "/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                sys.exit(f"{url}/readyz did not answer 200 within {seconds} s")
            time.sleep(0.2)


def setup(args):
    """Geography, a testing round and one site: what a device needs to check people in."""
    wait_ready([args.url], args.ready_timeout)
    areas = [
        {"code": "320505", "name": "虎丘区"},
        {"code": "320505-001", "name": "狮山"},
        {"code": "320505-001-001", "name": "和平社区"},
        {"code": "320505-001-001-01", "name": "和平苑"},
    ]
    status, answer = post(args.url + "/v1/areas", areas, args.token, method="PUT")
    if status not in (200, 201, 204):
        sys.exit(f"PUT /v1/areas: {status} {answer}")
    status, answer = post(args.url + "/v1/testing-rounds", {
        "name": "chaos", "area": "320505-001",
        "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2030-01-01T00:00:00Z",
    }, args.token)
    if status != 201:
        sys.exit(f"POST /v1/testing-rounds: {status} {answer}")
    round_id = answer["id"]
    status, answer = post(args.url + f"/v1/testing-rounds/{round_id}/sites", {
        "area": "320505-001-001", "name": "chaos", "opensAt": "00:00", "closesAt": "23:59",
        "expectedPopulation": 5000000,
    }, args.token)
    if status != 201:
        sys.exit(f"POST sites: {status} {answer}")
    print(round_id, answer["id"])


# --- the surge ------------------------------------------------------------------------

def batch_key(client, number):
    return f"chaos-c{client}-b{number}"


def batch_tubes(client, number, size):
    return [f"TB-c{client}-b{number}-{i}" for i in range(size)]


def batch_body(round_id, site, client, number, size, scanned_at):
    return {"items": [
        {"roundId": round_id, "siteId": site, "residentCode": f"RS-c{client}-b{number}-{i}",
         "tubeBarcode": tube, "sampleGroup": "G1", "scannedAt": scanned_at, "operator": "chaos"}
        for i, tube in enumerate(batch_tubes(client, number, size))
    ]}


class Recorder:
    """Appends one JSON line per finished batch; shared by the client threads."""

    def __init__(self, path):
        self.file = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    def write(self, record):
        line = json.dumps(record, separators=(",", ":"))
        with self.lock:
            self.file.write(line + "\n")


def send_batch(client, number, size, args, urls, hard_deadline, started, scanned_at):
    """Posts one batch until it is acknowledged (or refused, or the hard deadline passes)."""
    key = batch_key(client, number)
    body = batch_body(args.round, args.site, client, number, size, scanned_at)
    tubes = batch_tubes(client, number, size)
    first = time.monotonic()
    attempts, errors, backoff = 0, [], 0.1
    record = {"key": key, "client": client, "batch": number, "size": size, "start": round(first - started, 3)}
    while True:
        # Alternate replicas per batch and per attempt: a retry of the same key usually
        # lands on the other replica, which must answer with the first one's result.
        url = urls[(client + number + attempts) % len(urls)]
        attempts += 1
        try:
            status, answer = post(url + "/v1/checkins", body, args.token, key=key, timeout=args.request_timeout)
        except (urllib.error.URLError, OSError, ValueError) as error:
            status, answer = None, f"{type(error).__name__}: {getattr(error, 'reason', error)}"
        if status == 200 and isinstance(answer, dict) and "results" in answer:
            acked, odd = [], []
            for result in answer["results"]:
                index, state = result.get("index"), result.get("status")
                if state == "accepted" or (state == "duplicate" and result.get("reason") == "already recorded"):
                    acked.append(tubes[index])
                else:
                    odd.append(result)
            record.update(outcome="acknowledged", acked=acked, unexpected=odd[:5], unexpected_count=len(odd),
                          replica=url, status=status)
            break
        # 409: the same key is still being processed elsewhere. 5xx and connection
        # errors: the write may or may not have happened; the same key makes it safe.
        retryable = status is None or status == 409 or status >= 500
        if len(errors) < 20:
            errors.append([round(time.monotonic() - started, 2), url.rsplit(":", 1)[-1], status, str(answer)[:160]])
        if not retryable:
            record.update(outcome="refused", status=status, answer=str(answer)[:500])
            break
        if time.monotonic() > hard_deadline:
            record.update(outcome="abandoned", status=status)
            break
        time.sleep(backoff * (0.5 + random.random()))
        backoff = min(backoff * 2, 2.0)
    record.update(attempts=attempts, errors=errors, seconds=round(time.monotonic() - first, 3))
    return record


def scanned_now():
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 60))


def client_loop(client, args, urls, recorder, soft_deadline, hard_deadline, started):
    scanned_at, number = scanned_now(), 0
    while time.monotonic() < soft_deadline:
        recorder.write(send_batch(client, number, args.batch, args, urls, hard_deadline, started, scanned_at))
        number += 1


def surge(args):
    urls = args.urls.split(",")
    os.makedirs(args.out, exist_ok=True)
    recorder = Recorder(os.path.join(args.out, "batches.jsonl"))
    started = time.monotonic()
    soft = started + args.seconds
    hard = soft + args.finish_timeout
    threads = [threading.Thread(target=client_loop, args=(c, args, urls, recorder, soft, hard, started), daemon=True)
               for c in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One last small batch after every kill and restart: the relay must sequence it, so a
    # relay that stalled on the last crash shows even if the surge wrote nothing after it.
    probe = send_batch(args.clients, 0, 1, args, urls, time.monotonic() + args.finish_timeout, started, scanned_now())
    probe["probe"] = True
    recorder.write(probe)
    print(f"surge: {args.clients} clients finished after {time.monotonic() - started:.1f} s; probe batch {probe['outcome']}")


# --- the database ---------------------------------------------------------------------

def sql(query):
    """Rows of `query` (psql reads host, port, user and database from PG* variables)."""
    out = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def unsequenced():
    """(count, age of the oldest in s, age of the last sequencing in s) for the stream."""
    row = sql(f"""
        SELECT count(*),
               coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::numeric(10,1),
               (SELECT extract(epoch FROM now() - max(sequenced_at))::numeric(10,1) FROM outbox WHERE stream = '{STREAM}')
        FROM outbox WHERE stream = '{STREAM}' AND seq IS NULL""")[0]
    return int(row[0]), float(row[1]), (float(row[2]) if row[2] else None)


def heads():
    return {topic: int(head) for topic, head in sql(f"SELECT topic, head FROM topic_heads WHERE stream = '{STREAM}'")}


class Events:
    """The subscriber's output, read incrementally (it grows while we wait)."""

    def __init__(self, path):
        self.path, self.offset, self.partial = path, 0, b""
        self.events, self.heartbeats, self.unreadable = [], 0, 0

    def read(self):
        if not os.path.exists(self.path):
            return
        with open(self.path, "rb") as file:
            file.seek(self.offset)
            chunk = file.read()
        self.offset += len(chunk)
        lines = (self.partial + chunk).split(b"\n")
        self.partial = lines.pop()
        for line in lines:
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except ValueError:
                self.unreadable += 1
                continue
            if event.get("heartbeat"):
                self.heartbeats += 1
            else:
                self.events.append(event)

    def highest(self):
        top = {}
        for event in self.events:
            top[event["topic"]] = max(top.get(event["topic"], 0), event["seq"])
        return top


def wait(args):
    """Until nothing is unsequenced and the subscriber holds every topic's head, or timeout."""
    events = Events(args.events)
    started = time.monotonic()
    while True:
        events.read()
        count, oldest, _ = unsequenced()
        topic_heads, seen = heads(), events.highest()
        behind = {t: (seen.get(t, 0), h) for t, h in topic_heads.items() if seen.get(t, 0) < h}
        elapsed = time.monotonic() - started
        if count == 0 and not behind:
            print(f"settled after {elapsed:.1f} s")
            return
        if elapsed > args.timeout:
            print(f"not settled after {args.timeout} s: {count} unsequenced (oldest {oldest:.0f} s old), "
                  f"subscriber behind on {len(behind)} topic(s) {behind}")
            return
        time.sleep(0.5)


# --- the checks -----------------------------------------------------------------------

def check(args):
    batches = []
    with open(os.path.join(args.out, "batches.jsonl")) as file:
        batches = [json.loads(line) for line in file if line.strip()]
    failures, notes = [], []

    acknowledged = [b for b in batches if b["outcome"] == "acknowledged"]
    refused = [b for b in batches if b["outcome"] == "refused"]
    abandoned = [b for b in batches if b["outcome"] == "abandoned"]
    odd = sum(b.get("unexpected_count", 0) for b in acknowledged)
    acked = [t for b in acknowledged for t in b["acked"]]
    retried = sum(1 for b in batches if b["attempts"] > 1)
    slowest = max((b["seconds"] for b in batches), default=0)
    notes.append(f"{len(batches)} batches ({retried} retried, slowest {slowest:.1f} s), {len(acked)} check-ins acknowledged")
    if refused:
        failures.append(f"{len(refused)} batch(es) refused, e.g. {refused[0]['status']} {refused[0]['answer'][:200]}")
    if abandoned:
        failures.append(f"{len(abandoned)} batch(es) never acknowledged within the finishing time")
    if odd:
        failures.append(f"{odd} item(s) answered neither accepted nor already recorded")

    # (a) every acknowledged check-in is stored, exactly once.
    stored = {tube: int(n) for tube, n in sql("SELECT tube_barcode, count(*) FROM checkins GROUP BY 1")}
    missing = [t for t in acked if t not in stored]
    twice = [t for t, n in stored.items() if n > 1]
    if missing:
        failures.append(f"(a) {len(missing)} acknowledged check-in(s) not stored, e.g. {missing[:3]}")
    if twice:
        failures.append(f"(a) {len(twice)} check-in(s) stored more than once, e.g. {twice[:3]}")
    extra = len(stored) - len(set(acked))
    if extra:
        notes.append(f"{extra} stored check-in(s) of batches not acknowledged")
    a_ok = not missing and not twice

    # (b) one idempotency key, one set of check-ins: per acknowledged key, exactly the
    # batch's rows, one stored answer, and every stored check-in announced exactly once.
    keys = {}
    for service, key, status in sql("SELECT service, key, coalesce(status, 0) FROM idempotency_keys WHERE key LIKE '%:chaos-%'"):
        keys.setdefault(key.split(":", 1)[1], []).append(int(status))
    b_problems = []
    for b in acknowledged:
        answers = keys.get(b["key"], [])
        if answers != [200]:
            b_problems.append(f"key {b['key']} has stored answers {answers}")
        rows = sum(stored.get(t, 0) for t in batch_tubes(b["client"], b["batch"], b["size"]))
        if rows != b["size"]:
            b_problems.append(f"key {b['key']}: {rows} rows for a batch of {b['size']}")
    announced = {}
    for (data,) in sql(f"SELECT data->'tubeBarcodes' FROM outbox WHERE topic = '{RECORDED}'"):
        for tube in json.loads(data):
            announced[tube] = announced.get(tube, 0) + 1
    if any(n > 1 for n in announced.values()):
        b_problems.append(f"{sum(1 for n in announced.values() if n > 1)} check-in(s) announced more than once in the outbox")
    if set(announced) != set(stored):
        b_problems.append(f"outbox announces {len(announced)} check-ins, the table holds {len(stored)}")
    if b_problems:
        failures.append("(b) " + "; ".join(b_problems[:5]) + (f" (+{len(b_problems) - 5} more)" if len(b_problems) > 5 else ""))

    # (c) the relay sequenced everything: the "relay stall" of issue 10 shows here.
    count, oldest, last = unsequenced()
    total = int(sql(f"SELECT count(*) FROM outbox WHERE stream = '{STREAM}'")[0][0])
    stalled = count > 0
    if stalled:
        since = f"; last row sequenced {last:.0f} s ago" if last is not None else "; nothing ever sequenced"
        failures.append(f"(c) RELAY STALL: {count} of {total} outbox row(s) of stream {STREAM} unsequenced, "
                        f"the oldest for {oldest:.0f} s{since}")

    # (d) the subscriber saw every topic 1..head, in order, once, with the outbox's ids.
    events = Events(args.events)
    events.read()
    topic_heads = heads()
    ids = {(t, int(s)): i for i, t, s in sql(f"SELECT id, topic, seq FROM outbox WHERE stream = '{STREAM}' AND seq IS NOT NULL")}
    by_topic = {}
    for event in events.events:
        by_topic.setdefault(event["topic"], []).append(event)
    d_problems = []
    for topic in sorted(set(by_topic) | set(topic_heads)):
        seqs = [e["seq"] for e in by_topic.get(topic, [])]
        head = topic_heads.get(topic)
        if head is None:
            d_problems.append(f"{topic}: received {len(seqs)} event(s) of a topic with no head")
            continue
        repeats = len(seqs) - len(set(seqs))
        gaps = sorted(set(range(1, head + 1)) - set(seqs))
        disorder = sum(1 for x, y in zip(seqs, seqs[1:]) if y <= x)
        beyond = [s for s in seqs if s > head or s < 1]
        wrong = sum(1 for e in by_topic.get(topic, []) if ids.get((topic, e["seq"])) not in (None, e["id"]))
        if repeats or gaps or disorder or beyond or wrong:
            d_problems.append(f"{topic}: head {head}, received {len(seqs)}; {len(gaps)} missing"
                              f"{' e.g. ' + str(gaps[:5]) if gaps else ''}, {repeats} repeated, {disorder} out of order, "
                              f"{len(beyond)} outside 1..head, {wrong} with another id than the outbox's")
    delivered = {}
    for event in by_topic.get(RECORDED, []):
        for tube in event.get("data", {}).get("tubeBarcodes", []):
            delivered[tube] = delivered.get(tube, 0) + 1
    if not stalled and (set(delivered) != set(stored) or any(n > 1 for n in delivered.values())):
        d_problems.append(f"the subscriber was told of {len(delivered)} check-ins, the table holds {len(stored)}")
    if events.unreadable:
        d_problems.append(f"{events.unreadable} unreadable line(s)")
    if d_problems:
        failures.append("(d) " + "; ".join(d_problems))
    notes.append(f"subscriber: {len(events.events)} events over {len(by_topic)} topic(s), heads {topic_heads}")

    summary = {"batches": len(batches), "acknowledged": len(acked), "stored": len(stored), "retried": retried,
               "slowest": slowest, "unsequenced": count, "oldest_unsequenced_s": oldest, "stalled": stalled,
               "events": len(events.events), "heads": topic_heads, "failures": failures, "notes": notes}
    with open(os.path.join(args.out, "check.json"), "w") as file:
        json.dump(summary, file, indent=1)
    for note in notes:
        print("  " + note)
    print(f"  (a) acknowledged stored once: {'ok' if a_ok else 'FAILED'}   (b) one key, one write: {'ok' if not b_problems else 'FAILED'}"
          f"   (c) outbox sequenced: {'ok' if not stalled else 'STALLED'}   (d) subscriber complete and in order: {'ok' if not d_problems else 'FAILED'}")
    for failure in failures:
        print("  FAIL " + failure)
    sys.exit(1 if failures else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("setup")
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--ready-timeout", type=float, default=60)
    p.set_defaults(run=setup)
    p = commands.add_parser("surge")
    p.add_argument("--urls", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--round", required=True)
    p.add_argument("--site", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--request-timeout", type=float, default=15)
    p.add_argument("--finish-timeout", type=float, default=60, help="how long a batch in hand may keep retrying after the surge")
    p.add_argument("--out", required=True)
    p.set_defaults(run=surge)
    p = commands.add_parser("wait")
    p.add_argument("--events", required=True)
    p.add_argument("--timeout", type=float, default=60)
    p.set_defaults(run=wait)
    p = commands.add_parser("check")
    p.add_argument("--events", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=check)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
