"""Checks that the generated AsyncAPI document is what tools will accept: the `asyncapi3`
models from PyPI (the AsyncAPI 3.0 object model, with its key patterns and field rules),
every `$ref` resolved, every payload a valid JSON Schema (Draft 2020-12, the contract's
dialect) and every example valid against its message's payload. Needs `asyncapi3` and
`jsonschema` (lib.sh's contract_tools)."""

from typing import Any, Dict, List

import jsonschema


def pointer(document: Dict[str, Any], ref: str) -> Any:
    """The node a local `$ref` (`#/a/b`) names; KeyError when it names nothing."""
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def inlined(document: Dict[str, Any], node: Any, depth: int = 0) -> Any:
    """`node` with every local `$ref` replaced by what it names, for a standalone validator."""
    if depth > 50:
        raise ValueError("a $ref cycle")
    if isinstance(node, dict):
        if set(node) == {"$ref"}:
            return inlined(document, pointer(document, node["$ref"]), depth + 1)
        return {key: inlined(document, value, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        return [inlined(document, value, depth + 1) for value in node]
    return node


def refs(node: Any) -> List[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in refs(value)]
    return []


def validate(document: Dict[str, Any]) -> List[str]:
    """Every reason `document` is not a valid, self-consistent AsyncAPI 3.0 document."""
    from asyncapi3 import AsyncAPI3  # here, so that inlined() needs only jsonschema

    errors: List[str] = []
    try:
        AsyncAPI3.model_validate(document)
    except Exception as problem:  # pydantic's ValidationError lists every field
        errors.append(f"not AsyncAPI 3.0: {problem}")
    for ref in sorted(set(refs(document))):
        try:
            pointer(document, ref)
        except (KeyError, TypeError):
            errors.append(f"$ref {ref} names nothing")
    if errors:
        return errors
    for name, message in document["components"]["messages"].items():
        payload = inlined(document, message["payload"])
        try:
            jsonschema.Draft202012Validator.check_schema(payload)
        except jsonschema.SchemaError as problem:
            errors.append(f"message {name}: the payload is not a JSON Schema: {problem.message}")
            continue
        validator = jsonschema.Draft202012Validator(payload, format_checker=jsonschema.FormatChecker())
        for sample in message.get("examples", []):
            for problem in validator.iter_errors(sample["payload"]):
                errors.append(f"message {name}: example {sample['name']!r}: {problem.message}")
    return errors
