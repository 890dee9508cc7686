"""A made-up but valid instance of a topic's `data` schema, for the AsyncAPI document's
examples: deterministic (the document is compared byte for byte in CI) and checked against
its schema there, so an example can never show a shape the bus does not send.

Only the keywords the contract uses are understood (type, properties, required, items,
enum, const, format, pattern, minimum, minItems, propertyNames); a pattern this module does
not know is an error, not a guess.
"""

from typing import Any, Dict

#: Sample values for the contract's patterns (and a format's usual shape).
PATTERNS = {
    "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$": "3f2b8c1e-7d4a-4e6b-9c0f-1a2b3c4d5e6f",
    "^[0-9]{6}-[0-9]{3}-[0-9]{3}-[0-9]{2}$": "320505-004-012-03",
    "^[0-9]{6}-[0-9]{3}-[0-9]{3}$": "320505-004-012",
    "^[A-Za-z0-9-]{6,32}$": "T20261125-0001",
    "^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8})*$": "wuu-x-hangzhou",
}
FORMATS = {"uuid": PATTERNS["^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"], "date-time": "2026-11-25T08:30:00.123Z", "date": "2026-11-25"}


def example(schema: Dict[str, Any]) -> Any:
    """A value valid under `schema`: every property given, required or not, so readers see them all."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        if "properties" not in schema and isinstance(schema.get("propertyNames"), dict):
            return {example(schema["propertyNames"]): example(schema.get("additionalProperties") or {"type": "string"})}
        return {name: example(sub) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        return [example(schema.get("items", {"type": "string"})) for _ in range(count)]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return float(max(1.5, schema.get("minimum", 1.5)))
    if kind == "boolean":
        return True
    if kind == "string":
        if "pattern" in schema:
            if schema["pattern"] not in PATTERNS:
                raise ValueError(f"no sample for the pattern {schema['pattern']!r}: add one to PATTERNS in {__file__}")
            return PATTERNS[schema["pattern"]]
        return FORMATS.get(schema.get("format", ""), "text")
    if kind == "null":
        return None
    raise ValueError(f"no sample for the type {kind!r}")
