"""Whether a topic's new `data` schema keeps its promise to the subscribers written against
the old one: the versioning rule of docs/EVENTS.md ("Versions").

A subscriber reads events; the producer may add to what it sends, never take away or
change what a subscriber may already rely on. So, from the reader's side, a change is
compatible when every event valid under the new schema still gives a reader of the old one
everything it relied on, with the same meaning:

- a new property, required or optional, is compatible (readers ignore fields they do not
  know: the documented rule), so `additionalProperties: false` is not a promise to readers;
- a property the old schema required must stay required, and every property both schemas
  know must stay compatible, recursively;
- a property that was optional may go (a reader already copes without it) or become required;
- types may narrow (`["string", "null"]` to `"string"`), never widen;
- enumerations may lose values, never gain one (a reader's `switch` would meet a stranger);
- bounds may tighten (`minimum` up, `maximum` down), never loosen;
- `pattern`, `format`, `const` and `propertyNames` may appear or stay the same, never change;
- the schema of a map's values (`additionalProperties`) is compared like a property's;
- any other keyword that changes is reported: better a version too many than a silent break.

Standard library only. `breaking(old, new)` returns the reasons, empty when compatible.
"""

from typing import Any, Dict, List

#: Keywords that describe and never constrain.
ANNOTATIONS = {"description", "$comment", "title", "examples"}
#: Keywords compared below; anything else must be equal.
HANDLED = ANNOTATIONS | {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength", "pattern", "format", "propertyNames",
}


def breaking(old: Any, new: Any, path: str = "data") -> List[str]:
    """The reasons a reader of `old` would be broken by events of `new` (empty: compatible)."""
    # Boolean schemas. A reader of `true` relied on nothing; of `false`, on nothing being sent,
    # so anything new there is an addition; `false` now means nothing will be sent (whether
    # it was required is the parent's question). A schema that becomes `true`: any value.
    if old is True or old is False or new is False:
        return []
    if new is True:
        return [f"{path}: became any value"]
    reasons: List[str] = []
    reasons += _types(old, new, path)
    reasons += _properties(old, new, path)
    if isinstance(old.get("items"), dict):
        if not isinstance(new.get("items"), dict):
            reasons.append(f"{path}[]: the items' schema was removed")
        else:
            reasons += breaking(old["items"], new["items"], path + "[]")
    if isinstance(old.get("additionalProperties"), dict):
        extra = new.get("additionalProperties", True)
        if extra is not False:
            reasons += breaking(old["additionalProperties"], extra, path + ".*")
    if isinstance(old.get("propertyNames"), dict):
        if old.get("propertyNames") != new.get("propertyNames"):
            reasons.append(f"{path}: propertyNames changed")
    if "enum" in old:
        if "enum" not in new:
            reasons.append(f"{path}: the enumeration was lifted (any value now)")
        elif [value for value in new["enum"] if value not in old["enum"]]:
            reasons.append(f"{path}: new enum value(s) {[value for value in new['enum'] if value not in old['enum']]}")
    for keyword in ("const", "pattern", "format"):
        if keyword in old and new.get(keyword) != old[keyword]:
            reasons.append(f"{path}: {keyword} changed from {old[keyword]!r} to {new.get(keyword)!r}")
    for keyword in ("minimum", "minItems", "minLength"):
        if keyword in old and (keyword not in new or new[keyword] < old[keyword]):
            reasons.append(f"{path}: {keyword} loosened from {old[keyword]} to {new.get(keyword)}")
    for keyword in ("maximum", "maxItems", "maxLength"):
        if keyword in old and (keyword not in new or new[keyword] > old[keyword]):
            reasons.append(f"{path}: {keyword} loosened from {old[keyword]} to {new.get(keyword)}")
    for keyword in sorted((set(old) | set(new)) - HANDLED):
        if old.get(keyword) != new.get(keyword):
            reasons.append(f"{path}: {keyword} changed")
    return reasons


def _types(old: Dict[str, Any], new: Dict[str, Any], path: str) -> List[str]:
    if "type" not in old:
        return []
    before = set(old["type"] if isinstance(old["type"], list) else [old["type"]])
    if "type" not in new:
        return [f"{path}: type {sorted(before)} became any type"]
    after = set(new["type"] if isinstance(new["type"], list) else [new["type"]])
    # An integer is a number: a reader of numbers reads integers.
    widened = {t for t in after - before if not (t == "integer" and "number" in before)}
    return [f"{path}: type widened by {sorted(widened)}"] if widened else []


def _properties(old: Dict[str, Any], new: Dict[str, Any], path: str) -> List[str]:
    reasons: List[str] = []
    now_required = set(new.get("required", []))
    for name in old.get("required", []):
        if name not in now_required:
            reasons.append(f"{path}.{name}: was required and no longer is")
    old_properties, new_properties = old.get("properties", {}), new.get("properties", {})
    for name, schema in old_properties.items():
        if name in new_properties:
            reasons += breaking(schema, new_properties[name], f"{path}.{name}")
        elif name in now_required:
            reasons.append(f"{path}.{name}: still required but its schema was removed (any value now)")
    return reasons
