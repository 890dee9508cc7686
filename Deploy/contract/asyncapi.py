#!/usr/bin/env python3
"""Writes the bus's AsyncAPI 3.0 document (docs/asyncapi.json) and the record of published
versions (docs/events.published.json) from the event contract, or checks that they are
current.

The contract is docs/events.schema.json (each topic's `data`, checked against the services'
event catalogues by EventContractTests) and the topic tables of docs/EVENTS.md (when each
topic is published). Nothing here is written by hand, so the document cannot drift from
the code; the versioning rule (published.py) is enforced on the way.

Usage:
  asyncapi.py            write both files (refuses an incompatible change without a new version)
  asyncapi.py --check    fail when either file is not what would be written, when a promise
                         is broken, or when the document is not valid AsyncAPI 3.0 (the
                         `asyncapi3` models from PyPI, every $ref resolved, every payload a
                         valid JSON Schema and every example valid against its payload)
"""

import datetime
import json
import pathlib
import re
import subprocess
import sys
from typing import Any, Dict, List

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from examples import example  # noqa: E402
from published import history_problems, reconcile, versions  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs/events.schema.json"
EVENTS_MD = ROOT / "docs/EVENTS.md"
DOCUMENT = ROOT / "docs/asyncapi.json"
PUBLISHED = ROOT / "docs/events.published.json"

UUID = {"type": "string", "format": "uuid", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}
TIME = {
    "type": "string",
    "format": "date-time",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$",
    "description": "RFC 3339, UTC, milliseconds",
}

#: The envelope of every event (docs/EVENTS.md); `topic`, `stream`, `v` and `data` are
#: narrowed by each message.
ENVELOPE = {
    "type": "object",
    "properties": {
        "id": {**UUID, "description": "the event's id: the same on every delivery, live or replayed"},
        "topic": {"type": "string"},
        "seq": {"type": "integer", "minimum": 1, "description": "per topic, from 1, without gaps"},
        "stream": {"type": "string", "description": "the publishing service: the topic's first segment"},
        "v": {"type": "integer", "minimum": 1, "description": "the version of `data`'s shape (docs/EVENTS.md, Versions)"},
        "occurredAt": TIME,
        "key": {"type": "string", "description": "the aggregate's id"},
        "area": {"type": "string", "description": "a geography code: district, street, community, compound or site"},
        "correlationId": {**UUID, "description": "the request or event this one follows from, when there is one"},
        "data": {"type": "object"},
    },
    "required": ["id", "topic", "seq", "stream", "v", "occurredAt", "key", "data"],
}

HEARTBEAT = {
    "type": "object",
    "properties": {
        "topic": {"type": "string"},
        "seq": {"type": "integer", "minimum": 0, "description": "the topic's head: the highest seq published"},
        "stream": {"type": "string"},
        "heartbeat": {"const": True},
        "occurredAt": TIME,
    },
    "required": ["topic", "seq", "stream", "heartbeat", "occurredAt"],
    "additionalProperties": False,
}


def identifier(text: str) -> str:
    """An AsyncAPI component key (`^[A-Za-z0-9_-]+$`) for a topic."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)


def occasions(markdown: str) -> Dict[str, str]:
    """Each topic's "when" column from the topic tables of docs/EVENTS.md."""
    found = {}
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"`[a-z][a-z0-9.<>-]*`", cells[0]):
            found[cells[0].strip("`")] = cells[1]
    return found


def build(contract: Dict[str, Any], markdown: str) -> Dict[str, Any]:
    """The AsyncAPI 3.0 document of the bus, from the contract and EVENTS.md."""
    when = occasions(markdown)
    channels: Dict[str, Any] = {}
    operations: Dict[str, Any] = {}
    messages: Dict[str, Any] = {"heartbeat": heartbeat_message()}
    schemas: Dict[str, Any] = {"envelope": ENVELOPE, "heartbeat": HEARTBEAT}
    by_topic: Dict[str, List[int]] = {}
    for topic, v, data in sorted(versions(contract)):
        by_topic.setdefault(topic, []).append(v)
        name = f"{identifier(topic)}_v{v}"
        schemas[name] = data
        messages[name] = event_message(topic, v, name, when.get(topic, ""), data)
    for topic, numbers in sorted(by_topic.items()):
        key = identifier(topic)
        channels[key] = {
            "address": topic,
            "title": topic,
            "description": when.get(topic, "") or "See docs/EVENTS.md.",
            "servers": [{"$ref": "#/servers/live"}, {"$ref": "#/servers/replay"}, {"$ref": "#/servers/http"}],
            "messages": {
                **{f"v{v}": {"$ref": f"#/components/messages/{key}_v{v}"} for v in numbers},
                "heartbeat": {"$ref": "#/components/messages/heartbeat"},
            },
        }
        operations[key] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{key}"},
            "summary": f"Shouwang publishes {topic}" + (f" (versions {', '.join(map(str, numbers))} side by side)" if len(numbers) > 1 else ""),
            "messages": [{"$ref": f"#/channels/{key}/messages/v{v}"} for v in numbers]
            + [{"$ref": f"#/channels/{key}/messages/heartbeat"}],
        }
    for pattern, data in sorted(contract.get("topicPatterns", {}).items()):
        channels["probe"], operations["probe"], messages["probe_v1"] = probe(pattern, data)
        schemas["probe_v1"] = data
    return {
        "asyncapi": "3.0.0",
        "id": "urn:shouwang:bus",
        "info": {
            "title": "Shouwang event bus",
            "version": "1.0.0",
            "description": DESCRIPTION,
            "externalDocs": {"description": "docs/EVENTS.md and docs/INTEGRATORS.md", "url": "https://example.invalid/shouwang/docs/EVENTS.md"},
        },
        "defaultContentType": "application/json",
        "servers": SERVERS,
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages, "securitySchemes": {"curve": CURVE, "integratorToken": TOKEN}},
    }


def event_message(topic: str, v: int, name: str, when: str, data: Dict[str, Any]) -> Dict[str, Any]:
    payload = {
        "allOf": [{"$ref": "#/components/schemas/envelope"}],
        "properties": {
            "topic": {"const": topic},
            "stream": {"const": topic.split(".")[0]},
            "v": {"const": v},
            "data": {"$ref": f"#/components/schemas/{name}"},
        },
    }
    envelope = {
        "id": "6f1c2a9e-3b7d-4c1a-9e2f-8d5b4a3c2e10", "topic": topic, "seq": 42, "stream": topic.split(".")[0], "v": v,
        "occurredAt": "2026-11-25T08:30:00.123Z", "key": "0b7e3f52-91c4-4d8a-a6b2-5f0e9c1d7a34", "area": "320505-004-012",
        "data": example(data),
    }
    return {
        "name": topic,
        "title": f"{topic} v{v}",
        "summary": when or topic,
        "contentType": "application/json",
        "payload": payload,
        "examples": [{"name": "example", "summary": "a made-up event of this shape", "payload": envelope}],
    }


def heartbeat_message() -> Dict[str, Any]:
    return {
        "name": "heartbeat",
        "title": "heartbeat",
        "summary": "At least once a second per topic, from the relay that owns it: the topic's head, so a lost tail is seen.",
        "contentType": "application/json",
        "payload": {"$ref": "#/components/schemas/heartbeat"},
        "examples": [
            {
                "name": "head",
                "payload": {
                    "topic": "intake.request.created", "seq": 42, "stream": "intake", "heartbeat": True,
                    "occurredAt": "2026-11-25T08:30:01.000Z",
                },
            }
        ],
    }


def probe(pattern: str, data: Dict[str, Any]):
    channel = {
        "address": "{stream}.probe.p{n}",
        "title": "probe topics",
        "description": f"Topics matching `{pattern}`: `shouwang publish-test` and the bus's own checks.",
        "parameters": {"stream": {"description": "any stream name"}, "n": {"description": "a partition number"}},
        "servers": [{"$ref": "#/servers/live"}, {"$ref": "#/servers/replay"}, {"$ref": "#/servers/http"}],
        "messages": {"v1": {"$ref": "#/components/messages/probe_v1"}, "heartbeat": {"$ref": "#/components/messages/heartbeat"}},
    }
    operation = {
        "action": "send",
        "channel": {"$ref": "#/channels/probe"},
        "summary": "shouwang publish-test publishes probes",
        "messages": [{"$ref": "#/channels/probe/messages/v1"}, {"$ref": "#/channels/probe/messages/heartbeat"}],
    }
    message = {
        "name": "probe",
        "title": "probe v1",
        "summary": "a test event: {run, n}",
        "contentType": "application/json",
        "payload": {
            "allOf": [{"$ref": "#/components/schemas/envelope"}],
            "properties": {"v": {"const": 1}, "data": {"$ref": "#/components/schemas/probe_v1"}},
        },
    }
    return channel, operation, message


DESCRIPTION = """Every event Shouwang's services publish, on a ZeroMQ bus authenticated with CURVE.

- **Live** (`live`): a SUB socket subscribed to topic prefixes ending in a dot. Each message is two frames,
  the topic and the JSON envelope. Live delivery is lossy under overload by design.
- **Replay** (`replay`): a DEALER or REQ socket asks for what it missed, by topic or prefix and the last `seq`
  it processed; that is what makes delivery loss-free. Heartbeats on every topic show a lost tail.
- **HTTP** (`http`): the same events as Server-Sent Events for integrators without ZeroMQ, resumable with
  `Last-Event-ID`.
- `seq` counts from 1 per topic without gaps; a subscriber hands each (topic, seq) to its application once,
  in order. The Python client (`clients/python`) and the Swift `BusSubscriber` do all of it.
- `v` is the version of `data`'s shape. Additive changes keep `v`; anything else is published as `v + 1`
  beside the old version for 90 days (docs/EVENTS.md, Versions). Ignore fields you do not know.
- Events carry ids, codes, categories and counts, never names, phone numbers, ID numbers or addresses.

Generated by Deploy/contract/asyncapi.py from docs/events.schema.json and docs/EVENTS.md; do not edit."""

CURVE = {
    "type": "asymmetricEncryption",
    "description": (
        "CurveZMQ on every socket. Set the bus's public key (from the operator; SHOUWANG_BUS_SERVER_KEY) as "
        "CURVE_SERVERKEY and your own key pair (`python -m shouwang_bus keygen`) as CURVE_PUBLICKEY/SECRETKEY. "
        "The operator registers your public key with the prefixes you may read (`shouwang keys create --role integrator`). "
        "An unknown or revoked key gets no answer at all."
    ),
}

TOKEN = {
    "type": "http",
    "scheme": "bearer",
    "description": (
        "A token of role integrator naming your bus key (`shouwang token --role integrator --subject <key name>`); "
        "the key's grant decides what the stream reads, and revoking the key ends its streams."
    ),
}

SERVERS = {
    "live": {
        "host": "127.0.0.1:5551",
        "protocol": "zmq",
        "title": "Live events (XPUB; SHOUWANG_BUS_SUBSCRIBE)",
        "description": "Connect a SUB socket; subscribe to prefixes ending in a dot (`intake.`). Two frames per message: topic, envelope.",
        "security": [{"$ref": "#/components/securitySchemes/curve"}],
    },
    "replay": {
        "host": "127.0.0.1:5552",
        "protocol": "zmq",
        "title": "Replay (ROUTER; SHOUWANG_BUS_REPLAY)",
        "description": (
            'Send one frame: {"topic": T, "after": seq, "limit": n} or {"prefix": P, "after": {T: seq}, "limit": n} '
            '(limit ≤ 5000). The reply is one multipart message of topic, envelope pairs, then {"end": true, "heads": {T: seq}}; '
            'a refusal ends with {"end": true, "error": "…"}. {"ping": true} is answered at once.'
        ),
        "security": [{"$ref": "#/components/securitySchemes/curve"}],
    },
    "http": {
        "host": "127.0.0.1:8080",
        "pathname": "/v1/events",
        "protocol": "http",
        "title": "The event stream over HTTP (Server-Sent Events; the bus's HTTP port)",
        "description": (
            "GET /v1/events?prefix=P[&from=now|beginning]: each event as `id:` (a cursor), `event:` (the topic) and "
            "`data:` (the envelope, one line). Resume with `Last-Event-ID` (or ?after=): nothing lost, nothing twice."
        ),
        "security": [{"$ref": "#/components/securitySchemes/integratorToken"}],
    },
}


def committed_records() -> List[Dict[str, Any]]:
    """Every committed version of docs/events.published.json, oldest first, so that a record
    edited by hand (a promise dropped or bent) is caught against its own history. Empty, with
    a warning, where git or the history is missing (a tarball, a shallow clone)."""
    path = str(PUBLISHED.relative_to(ROOT))
    log = subprocess.run(["git", "-C", str(ROOT), "log", "--format=%H", "--reverse", "--", path], capture_output=True, text=True)
    if log.returncode != 0 or not log.stdout.strip():
        print(f"warning: no git history of {path}: its past versions are not checked", file=sys.stderr)
        return []
    records = []
    for commit in log.stdout.split():
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{path}"], capture_output=True, text=True)
        if shown.returncode == 0:
            records.append(json.loads(shown.stdout))
    return records


def rendered(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] not in ([], ["--check"]):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    contract = json.loads(CONTRACT.read_text())
    published = json.loads(PUBLISHED.read_text()) if PUBLISHED.exists() else {}
    record, problems = reconcile(published, contract, datetime.date.today())
    record = {"$comment": RECORD_COMMENT, "topics": record["topics"]}
    document = build(contract, EVENTS_MD.read_text())
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    if not check:
        PUBLISHED.write_text(rendered(record))
        DOCUMENT.write_text(rendered(document))
        print(f"wrote {DOCUMENT.relative_to(ROOT)} ({len(document['channels'])} channels) and {PUBLISHED.relative_to(ROOT)}")
        return 0
    from validation import validate  # the PyPI tools, only for the check

    stale = [path for path, text in ((DOCUMENT, rendered(document)), (PUBLISHED, rendered(record))) if not path.exists() or path.read_text() != text]
    for path in stale:
        print(f"error: {path.relative_to(ROOT)} is not current: run Deploy/contract/asyncapi.py and commit the result", file=sys.stderr)
    errors = validate(document)
    for error in errors:
        print(f"error: docs/asyncapi.json: {error}", file=sys.stderr)
    history = committed_records()
    for problem in history_problems(history + [json.loads(PUBLISHED.read_text())]):
        print(f"error: docs/events.published.json: {problem}", file=sys.stderr)
        errors.append(problem)
    if stale or errors:
        return 1
    print(f"docs/asyncapi.json is current and valid AsyncAPI 3.0: {len(document['channels'])} channels, "
          f"{len(document['components']['messages'])} messages; every published version kept its promise")
    return 0


RECORD_COMMENT = (
    "Every (topic, v) ever published, with the schema of its data as last promised: written by "
    "Deploy/contract/asyncapi.py, which refuses an incompatible change within a version (docs/EVENTS.md, Versions). "
    "Do not edit by hand."
)

if __name__ == "__main__":
    sys.exit(main())
