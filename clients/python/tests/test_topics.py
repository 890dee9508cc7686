"""The generated TypedDicts (src/shouwang_bus/topics.py) follow docs/events.schema.json."""

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from shouwang_bus import Event
from shouwang_bus.topics import TOPICS, IntakeRequestCreated, MatchingRosterPlanned, Probe, data_of, missing_fields

CLIENT = Path(__file__).resolve().parent.parent
SCHEMA = CLIENT.parent.parent / "docs" / "events.schema.json"


def event(topic, data):
    return Event(id="x", topic=topic, seq=1, stream=topic.split(".")[0], v=1,
                 occurred_at=datetime.now(timezone.utc), key="k", data=data)


@pytest.mark.skipif(not SCHEMA.exists(), reason="outside the repository")
def test_the_generated_types_are_up_to_date_with_the_schema():
    done = subprocess.run([sys.executable, str(CLIENT / "generate_topics.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + " (python3 clients/python/generate_topics.py regenerates it)"


def test_every_topic_has_a_type_and_required_fields_are_known():
    assert TOPICS["intake.request.created"] is IntakeRequestCreated
    assert "requestId" in IntakeRequestCreated.__required_keys__
    assert "from" in MatchingRosterPlanned.__required_keys__, "a field named like a keyword"
    created = event("intake.request.created", {"requestId": "r"})
    assert "urgency" in missing_fields(created)
    assert data_of(created, IntakeRequestCreated)["requestId"] == "r"
    with pytest.raises(TypeError):
        data_of(created, MatchingRosterPlanned)
    assert data_of(event("pyorder.probe.p0", {"n": 1}), Probe)["n"] == 1
    assert missing_fields(event("someone.new.topic", {})) == []
