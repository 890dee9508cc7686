#!/usr/bin/env python3
"""Writes src/shouwang_bus/topics.py — a TypedDict per topic's ``data`` — from
docs/events.schema.json. Run it after the schema changes (tests/test_topics.py fails until
you do):

    python3 clients/python/generate_topics.py
"""

import json
import keyword
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMA = HERE.parent.parent / "docs" / "events.schema.json"
OUTPUT = HERE / "src" / "shouwang_bus" / "topics.py"

SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def class_name(*parts: str) -> str:
    words = []
    for part in parts:
        for piece in part.replace("-", ".").replace("_", ".").split("."):
            if piece:
                words.append(piece[0].upper() + piece[1:])
    return "".join(words)


def generate(schema: dict) -> str:
    classes: list = []

    def type_of(prop: dict, owner: str, field: str) -> str:
        kind = prop.get("type")
        if kind in SCALARS:
            return SCALARS[kind]
        if kind == "array":
            return f"List[{type_of(prop.get('items', {}), owner, field)}]"
        if kind == "object" and "properties" in prop:
            return typed_dict(class_name(owner, field), prop, None)
        if kind == "object":
            return "Dict[str, Any]"
        return "Any"

    def typed_dict(name: str, schema_object: dict, topic) -> str:
        properties = schema_object.get("properties", {})
        required = set(schema_object.get("required", []))
        fields = [(f, type_of(p, name, f), f in required, p) for f, p in sorted(properties.items())]
        def bad(f: str) -> bool:
            return not f.isidentifier() or keyword.iskeyword(f)

        doc = f'    """``data`` of ``{topic}``."""\n' if topic else '    """Part of another topic\'s ``data``."""\n'
        needed = [(f, t) for f, t, r, _ in fields if r]
        optional = [(f, t) for f, t, r, _ in fields if not r]
        if any(bad(f) for f, _ in optional):
            raise SystemExit(f"{name}: an optional field name is not a Python identifier")
        lines = []
        optional_lines = "".join(f"    {f}: {t}\n" for f, t in optional)
        if needed:
            # The functional form: required names may be keywords (`from`).
            entries = ", ".join(f'"{f}": {t}' for f, t in needed)
            lines.append(f'_{name}Required = TypedDict("_{name}Required", {{{entries}}})\n')
            lines.append(f"class {name}(_{name}Required, total=False):\n" + doc + optional_lines)
        else:
            lines.append(f"class {name}(TypedDict, total=False):\n" + doc + optional_lines)
        classes.extend(lines)
        return name

    names = {}
    for topic in sorted(schema["topics"]):
        names[topic] = typed_dict(class_name(topic), schema["topics"][topic], topic)
    probe = next(iter(schema.get("topicPatterns", {}).values()), None)
    if probe is not None:
        typed_dict("Probe", probe, "<stream>.probe.p<N>")

    header = '''"""The ``data`` of every topic as a TypedDict, generated from docs/events.schema.json by
clients/python/generate_topics.py: do not edit.

They are types for your checker (mypy, pyright) and your editor; at run time ``data`` is a
plain dict::

    from shouwang_bus.topics import IntakeRequestCreated, data_of

    if event.topic == "intake.request.created":
        created: IntakeRequestCreated = data_of(event, IntakeRequestCreated)
        print(created["requestId"], created["urgency"])
"""

from typing import Any, Dict, List, Type, TypeVar, TypedDict

from .events import Event

'''
    body = "\n\n".join(classes)
    mapping = "".join(f'    "{topic}": {name},\n' for topic, name in names.items())
    footer = f'''

#: The type of each topic's ``data``.
TOPICS: Dict[str, Any] = {{
{mapping}}}

_TOPIC_OF = {{cls: topic for topic, cls in TOPICS.items()}}

T = TypeVar("T")


def data_of(event: Event, cls: Type[T]) -> T:
    """``event.data`` as ``cls``, after checking that ``cls`` is the type of the event's topic."""
    expected = _TOPIC_OF.get(cls)
    if expected is not None and expected != event.topic:
        raise TypeError(f"{{cls.__name__}} is the data of {{expected}}, not of {{event.topic}}")
    if expected is None and cls is Probe and ".probe.p" not in event.topic:
        raise TypeError(f"{{event.topic}} is not a probe topic")
    return event.data  # type: ignore[return-value]


def missing_fields(event: Event) -> List[str]:
    """The required fields of the event's topic that its ``data`` lacks (an empty list for a
    topic this version of the client does not know: newer topics are not errors)."""
    cls = TOPICS.get(event.topic)
    if cls is None:
        return []
    return sorted(f for f in getattr(cls, "__required_keys__", ()) if f not in event.data)
'''
    return header + body + footer


def main() -> int:
    text = generate(json.loads(SCHEMA.read_text()))
    if "--check" in sys.argv:
        current = OUTPUT.read_text() if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT} ({text.count('class ')} classes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
