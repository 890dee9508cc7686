"""What has been promised to subscribers: `docs/events.published.json`, every (topic, v)
ever published with the schema of its `data`, the day it was first published and, once a
newer version took over, the day it was superseded. The versioning rule (docs/EVENTS.md,
"Versions") is enforced against it:

- a schema may change within its version only compatibly (compatibility.py) with every
  schema that version ever had: the record keeps the earlier ones (`earlier`), so a field
  removed and later added back with another type is caught;
- anything else is a new version `v + 1`, published *beside* the old one: the old schema
  stays in `docs/events.schema.json` under `previousVersions` and its events keep being
  published for `NOTICE_DAYS` days after the new one appeared;
- a superseded version may leave the contract only after that; it is then marked retired
  and its number is never used again for another shape;
- versions only go up, and a topic is never removed while a version of it is promised.

`reconcile(published, contract, today)` returns the updated record and the problems.
Standard library only.
"""

import copy
import datetime
from typing import Any, Dict, Iterator, List, Tuple

from compatibility import breaking

#: How long a superseded version keeps being published beside its successor.
NOTICE_DAYS = 90


def versions(contract: Dict[str, Any]) -> Iterator[Tuple[str, int, Dict[str, Any]]]:
    """Every (topic, v, schema of data) the contract publishes: each topic's current
    version (`versions`, 1 when absent) and the earlier ones still published beside it."""
    for topic, schema in contract["topics"].items():
        yield topic, int(contract.get("versions", {}).get(topic, 1)), schema
        for number, old in contract.get("previousVersions", {}).get(topic, {}).items():
            yield topic, int(number), old


def reconcile(published: Dict[str, Any], contract: Dict[str, Any], today: datetime.date) -> Tuple[Dict[str, Any], List[str]]:
    """The record after this contract, and why the contract breaks a promise (empty: it keeps them)."""
    record = copy.deepcopy(published)
    record.setdefault("topics", {})
    problems: List[str] = []
    present = {(topic, v): schema for topic, v, schema in versions(contract)}
    for (topic, v), schema in sorted(present.items()):
        known = record["topics"].setdefault(topic, {})
        entry = known.get(str(v))
        if entry is not None:
            if entry.get("retiredOn"):
                problems.append(f"{topic} v{v}: retired on {entry['retiredOn']}; a new shape needs a new number (v{_highest(known) + 1})")
                continue
            reasons = [reason for promised in [entry["schema"], *entry.get("earlier", [])] for reason in breaking(promised, schema)]
            if reasons:
                problems.append(
                    f"{topic} v{v}: an incompatible change ({'; '.join(reasons)}); publish it as v{_highest(known) + 1} "
                    f"beside v{v}, which keeps its schema under previousVersions for {NOTICE_DAYS} days"
                )
            elif entry["schema"] != schema:
                entry["earlier"] = [entry["schema"], *entry.get("earlier", [])]
                entry["schema"] = schema
            continue
        if known and v < _highest(known):
            problems.append(f"{topic} v{v}: versions only go up (v{_highest(known)} was published)")
            continue
        for number, older in known.items():
            if int(number) < v and not older.get("supersededOn"):
                older["supersededOn"] = today.isoformat()
        known[str(v)] = {"since": today.isoformat(), "schema": schema}
    for topic, known in sorted(record["topics"].items()):
        for number, entry in sorted(known.items()):
            if (topic, int(number)) in present or entry.get("retiredOn"):
                continue
            superseded = entry.get("supersededOn")
            if superseded is None:
                problems.append(f"{topic} v{number}: removed while it is the current version; subscribers rely on it")
                continue
            until = datetime.date.fromisoformat(superseded) + datetime.timedelta(days=NOTICE_DAYS)
            if today < until:
                problems.append(
                    f"{topic} v{number}: superseded on {superseded}, so it is published beside its successor until "
                    f"{until.isoformat()}; keep its schema under previousVersions"
                )
            else:
                entry["retiredOn"] = today.isoformat()
    return record, problems


def history_problems(records: List[Dict[str, Any]]) -> List[str]:
    """Why a sequence of committed records (oldest first) is not one record kept by the
    rules: an entry disappeared, a retirement was undone, or a schema changed incompatibly.
    This catches a record edited by hand, not through reconcile()."""
    problems: List[str] = []
    for older, newer in zip(records, records[1:]):
        for topic, known in older.get("topics", {}).items():
            for number, entry in known.items():
                later = newer.get("topics", {}).get(topic, {}).get(number)
                if later is None:
                    problems.append(f"{topic} v{number}: dropped from the record")
                    continue
                if entry.get("retiredOn") and not later.get("retiredOn"):
                    problems.append(f"{topic} v{number}: its retirement was undone")
                for reason in breaking(entry["schema"], later["schema"]):
                    problems.append(f"{topic} v{number}: the record was changed incompatibly: {reason}")
    return problems


def _highest(known: Dict[str, Any]) -> int:
    return max((int(number) for number in known), default=0)
