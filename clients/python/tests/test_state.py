"""The gap-and-replay protocol, driven without sockets (as Tests/EventBusTests/SubscriberStateMachineTests.swift)."""

import os
import random
import uuid
from datetime import datetime, timezone

import pytest

from shouwang_bus.events import Event, Heartbeat
from shouwang_bus.state import ReplayPage, ReplayRequest, SubscriberState

CREATED = "intake.request.created"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def event(topic, seq, id=None):
    return Event(
        id=id or str(uuid.uuid4()), topic=topic, seq=seq, stream=topic.split(".")[0], v=1,
        occurred_at=EPOCH, key=f"k{seq}", data={},
    )


def page(events, heads):
    return ReplayPage(events=list(events), heads=dict(heads))


def seqs(events):
    return [e.seq for e in events]


def test_start_from_beginning_asks_for_everything_under_the_prefix():
    machine = SubscriberState(["intake."])
    assert machine.start(0).replay == ReplayRequest("intake.", {}, 1000)


def test_start_now_asks_only_for_heads_and_then_delivers_what_follows():
    machine = SubscriberState(["intake."], start="now")
    assert machine.start(0).replay.limit == 0
    # Live events arriving before the heads are held, then judged against them.
    assert machine.receive(event(CREATED, 5), 1).deliver == []
    assert machine.receive(event(CREATED, 6), 1).deliver == []
    output = machine.receive_page(page([], {CREATED: 5}), 2)
    assert seqs(output.deliver) == [6]
    assert output.replay is None
    assert output.skipped == {CREATED: 5}
    assert machine.delivered[CREATED] == 6


def test_in_order_live_events_are_delivered_and_repeats_dropped():
    machine = SubscriberState(["intake."], start={CREATED: 0})
    machine.start(0)
    machine.receive_page(page([], {}), 0)
    seen = []
    for seq in [1, 2, 2, 3, 1]:
        seen += seqs(machine.receive(event(CREATED, seq), 0).deliver)
    assert seen == [1, 2, 3]


def test_a_gap_holds_later_events_and_asks_replay_from_the_last_delivered():
    machine = SubscriberState(["intake."], start={CREATED: 1})
    machine.start(0)
    machine.receive_page(page([], {CREATED: 1}), 0)
    output = machine.receive(event(CREATED, 4), 10)
    assert output.deliver == []
    assert output.replay == ReplayRequest("intake.", {CREATED: 1}, 1000)
    filled = machine.receive_page(page([event(CREATED, 2), event(CREATED, 3)], {CREATED: 3}), 20)
    assert seqs(filled.deliver) == [2, 3, 4]
    assert filled.replay is None


def test_a_gap_filled_by_a_reply_that_knows_the_held_event_releases_it():
    machine = SubscriberState(["intake."], start={CREATED: 1})
    machine.start(0)
    machine.receive_page(page([], {CREATED: 1}), 0)
    machine.receive(event(CREATED, 4), 10)
    filled = machine.receive_page(page([event(CREATED, 2), event(CREATED, 3)], {CREATED: 4}), 20)
    assert seqs(filled.deliver) == [2, 3, 4]
    assert filled.replay is None


def test_a_heartbeat_ahead_of_delivery_reveals_a_lost_tail():
    machine = SubscriberState(["intake."], start={CREATED: 7})
    machine.start(0)
    machine.receive_page(page([], {CREATED: 7}), 0)
    assert machine.receive(Heartbeat(CREATED, 7), 1).replay is None
    assert machine.receive(Heartbeat(CREATED, 9), 2).replay == ReplayRequest("intake.", {CREATED: 7}, 1000)


def test_only_one_replay_is_in_flight_and_a_truncated_page_asks_for_the_next():
    machine = SubscriberState(["intake."], page_limit=2)
    machine.start(0)
    # Another gap while the first replay is out: no second request yet.
    assert machine.receive(event(CREATED, 9), 1).replay is None
    output = machine.receive_page(page([event(CREATED, 1), event(CREATED, 2)], {CREATED: 8}), 2)
    assert seqs(output.deliver) == [1, 2]
    assert output.replay == ReplayRequest("intake.", {CREATED: 2}, 2)


def test_an_unanswered_replay_is_sent_again_after_the_timeout():
    machine = SubscriberState(["intake."], replay_timeout_ms=3000)
    first = machine.start(1000).replay
    assert machine.tick(3999).replay is None
    assert machine.tick(4000).replay == first
    assert machine.replay_failed(4100).replay is None
    assert machine.tick(7099).replay is None
    assert machine.tick(7100).replay == first


def test_a_late_or_repeated_replay_page_changes_nothing():
    machine = SubscriberState(["intake."])
    machine.start(0)
    reply = page([event(CREATED, 1), event(CREATED, 2)], {CREATED: 2})
    assert seqs(machine.receive_page(reply, 1).deliver) == [1, 2]
    again = machine.receive_page(reply, 2)
    assert again.deliver == []
    assert again.replay is None


def test_events_outside_the_prefixes_are_ignored():
    machine = SubscriberState(["intake."])
    machine.start(0)
    machine.receive_page(page([], {}), 0)
    output = machine.receive(event("intake2.request.created", 1), 0)
    assert output.deliver == [] and output.replay is None


def test_a_second_event_for_a_delivered_place_raises_an_alarm_and_is_not_delivered():
    machine = SubscriberState(["intake."], start={CREATED: 0})
    machine.start(0)
    machine.receive_page(page([], {}), 0)
    real = event(CREATED, 1)
    assert machine.receive(real, 1).deliver == [real]
    assert machine.receive(real, 2).alarms == [], "a plain repeat is no alarm"
    forged = event(CREATED, 1)
    output = machine.receive(forged, 3)
    assert output.deliver == []
    assert [(a.first, a.second, a.was_delivered) for a in output.alarms] == [(real.id, forged.id, True)]


def test_two_events_claiming_one_held_place_are_both_dropped_and_replay_settles_it():
    machine = SubscriberState(["intake."], start={CREATED: 1})
    machine.start(0)
    machine.receive_page(page([], {}), 0)
    forged, real = event(CREATED, 3), event(CREATED, 3)
    assert machine.receive(forged, 1).replay is not None
    contradicted = machine.receive(real, 2)
    assert len(contradicted.alarms) == 1 and not contradicted.alarms[0].was_delivered
    two = event(CREATED, 2)
    settled = machine.receive_page(page([two, real], {CREATED: 3}), 3)
    assert [e.id for e in settled.deliver] == [two.id, real.id], "the database's event 3, not the forged one"


def test_a_held_event_beyond_the_head_is_dropped_and_no_replay_loop_follows():
    machine = SubscriberState(["intake."], start={CREATED: 41})
    machine.start(0)
    machine.receive_page(page([], {}), 0)
    assert machine.receive(event(CREATED, 50), 1).replay is not None
    answer = machine.receive_page(page([], {CREATED: 41}), 2)
    assert answer.replay is None
    assert machine.tick(5_000).replay is None, "nothing is held or behind any more"
    assert not machine.is_replaying


def test_a_replay_that_brings_nothing_new_backs_off_instead_of_looping():
    machine = SubscriberState(["intake."], start={CREATED: 5})
    machine.start(0)
    machine.receive_page(page([], {CREATED: 9}), 0)
    sent, now = [], 0
    while now < 2_000:
        now += 10
        if machine.tick(now).replay is not None:
            sent.append(now)
            machine.receive_page(page([], {CREATED: 9}), now)
    assert len(sent) <= 5, f"backoff 100, 200, 400, 800 ms…: {sent}"
    assert sent[0] == 100
    machine.tick(10_000)
    recovered = machine.receive_page(page([event(CREATED, 6)], {CREATED: 9}), 10_001)
    assert recovered.replay is not None, "once a page brings events again, the next request goes at once"


def test_live_silence_asks_replay_anyway_so_a_lost_subscription_still_delivers():
    machine = SubscriberState(["intake."], start={CREATED: 3}, silence_ms=10_000)
    machine.start(0)
    machine.receive_page(page([], {CREATED: 3}), 5)
    assert machine.tick(9_999).replay is None
    assert machine.tick(10_000).replay == ReplayRequest("intake.", {CREATED: 3}, 1000)
    caught_up = machine.receive_page(page([event(CREATED, 4)], {CREATED: 4}), 10_010)
    assert seqs(caught_up.deliver) == [4]
    # A heartbeat is hearing the stream: no replay for another silence.
    machine.receive(Heartbeat(CREATED, 4), 12_000)
    assert machine.tick(21_999).replay is None
    assert machine.tick(22_000).replay is not None


def test_events_are_held_for_a_bounded_number_of_topics():
    machine = SubscriberState(["intake."], maximum_held_topics=2)
    machine.start(0)
    for n in range(10):
        machine.receive(event(f"intake.t{n}.x", 5), 1)
    output = machine.receive_page(
        page([event(f"intake.t{n}.x", s) for n in range(10) for s in range(1, 5)], {f"intake.t{n}.x": 5 for n in range(10)}),
        2,
    )
    assert len(output.deliver) == 4 * 10 + 2
    assert output.replay is not None, "the eight topics whose fifth event was not held are still behind"


def test_several_prefixes_take_turns_with_one_replay_in_flight():
    a, b = "intake.request.created", "supplies.stock.low"
    machine = SubscriberState(["intake.", "supplies."], page_limit=1)
    first = machine.start(0).replay
    assert first.prefix == "intake."
    # A gap on the other prefix while a replay is out: no second request yet.
    assert machine.receive(event(b, 2), 1).replay is None
    second = machine.receive_page(page([event(a, 1)], {a: 2}), 2).replay
    assert second.prefix == "supplies.", "supplies. waited its turn"
    third = machine.receive_page(page([event(b, 1)], {b: 2}), 3)
    assert seqs(third.deliver) == [1, 2], "the held supplies event is released"
    assert third.replay.prefix == "intake."
    assert third.replay.after == {a: 1}
    last = machine.receive_page(page([event(a, 2)], {a: 2}), 4)
    assert seqs(last.deliver) == [2] and last.replay is None
    assert machine.delivered == {a: 2, b: 2}


def test_a_reply_for_one_prefix_does_not_drop_what_another_holds():
    a, b = "intake.request.created", "supplies.stock.low"
    machine = SubscriberState(["intake.", "supplies."], start={a: 0, b: 0})
    machine.start(0)  # asks intake.
    machine.receive(event(b, 3), 1)  # held, supplies. wanted
    reply = machine.receive_page(page([], {a: 0}), 2)
    assert reply.replay.prefix == "supplies."
    filled = machine.receive_page(page([event(b, 1), event(b, 2)], {b: 3}), 3)
    assert seqs(filled.deliver) == [1, 2, 3]


def test_start_now_with_two_prefixes_learns_both_heads_before_delivering():
    a, b = "intake.request.created", "supplies.stock.low"
    machine = SubscriberState(["intake.", "supplies."], start="now")
    assert machine.start(0).replay == ReplayRequest("intake.", {}, 0)
    assert machine.receive(Heartbeat(a, 10), 1).replay is None, "heartbeats wait for the heads"
    out = machine.receive_page(page([], {a: 10}), 2)
    assert out.replay == ReplayRequest("supplies.", {}, 0)
    assert out.skipped == {a: 10}
    out = machine.receive_page(page([], {b: 4}), 3)
    assert out.replay is None and out.skipped == {b: 4}
    assert seqs(machine.receive(event(b, 5), 4).deliver) == [5]


class Network:
    """Publishes events on topics, loses, repeats and reorders them on the way to one
    subscriber, and answers its replays from the log (the database) — sometimes at once,
    sometimes late, sometimes twice."""

    def __init__(self, seed, prefixes, topics, page_limit):
        self.random = random.Random(seed)
        self.topics = topics
        self.log = {}
        self.machine = SubscriberState(prefixes, page_limit=page_limit)
        self.delivered = []
        self.clock = 0
        self.pending = []  # replay requests sent, not yet answered
        self.delayed = []
        self.apply(self.machine.start(self.clock))

    def apply(self, output):
        self.delivered += output.deliver
        if output.replay is not None:
            self.pending.append(output.replay)

    def publish(self):
        topic = self.random.choice(self.topics)
        made = event(topic, len(self.log.setdefault(topic, [])) + 1)
        self.log[topic].append(made)
        return made

    def arrive(self, message):
        self.clock += 1
        self.apply(self.machine.receive(message, self.clock))

    def serve(self, request):
        events = []
        for topic in sorted(self.log):
            if topic.startswith(request.prefix):
                room = request.limit - len(events)
                events += [e for e in self.log[topic] if e.seq > request.after.get(topic, 0)][: max(room, 0)]
        heads = {t: len(es) for t, es in self.log.items() if t.startswith(request.prefix)}
        return page(events, heads)

    def answer(self):
        if not self.pending:
            return
        request = self.pending.pop(0)
        roll = self.random.random()
        if roll < 0.1:
            return  # lost: the timeout resends it
        reply = self.serve(request)
        if roll < 0.15:
            self.clock += 1
            self.apply(self.machine.replay_failed(self.clock))  # refused (rate): resent later
            return
        self.apply(self.machine.receive_page(reply, self.clock))
        if roll > 0.95:
            self.apply(self.machine.receive_page(reply, self.clock))  # repeated

    def heartbeats(self):
        for topic in sorted(self.log):
            self.arrive(Heartbeat(topic, len(self.log[topic])))

    def tick(self, step):
        self.clock += step
        self.apply(self.machine.tick(self.clock))


@pytest.mark.parametrize("seed", range(int(os.environ.get("SHOUWANG_PROPERTY_SEEDS", "60"))))
def test_every_event_arrives_once_in_order_despite_loss_duplication_and_reordering(seed):
    """Property: whatever the network loses, repeats or reorders, each topic's events reach
    the application exactly once and in order, given a replay endpoint that answers with
    what has been published so far (sometimes late, lost, refused or twice)."""
    prefixes = ["intake.", "supplies."] if seed % 2 else ["intake."]
    topics = ["intake.a.x", "intake.b.y", "supplies.c.z", "outreach.d.w"] if seed % 2 else ["intake.a.x", "intake.b.y", "intake.c.z"]
    net = Network(seed, prefixes, topics, page_limit=7)
    rng = net.random
    for step in range(400):
        made = net.publish()
        roll = rng.random()
        if roll < 0.2:
            pass  # lost
        elif roll < 0.3:
            net.arrive(made)
            net.arrive(made)  # duplicated
        elif roll < 0.4:
            net.delayed.append(made)  # overtaken by later messages
        else:
            net.arrive(made)
        if rng.random() < 0.25 and net.delayed:
            net.arrive(net.delayed.pop(rng.randrange(len(net.delayed))))
        if step % 25 == 24:
            net.heartbeats()
        if rng.random() < 0.35:
            net.answer()
        net.tick(10)
    for message in net.delayed:
        net.arrive(message)
    # Only the relays' heartbeats reveal a lost tail.
    net.heartbeats()
    for _ in range(20_000):
        if not net.pending and not net.machine.is_replaying:
            break
        if net.pending:
            net.answer()
        else:
            net.tick(100)
    for topic in net.topics:
        expected = [e.seq for e in net.log.get(topic, [])] if any(topic.startswith(p) for p in prefixes) else []
        got = [e.seq for e in net.delivered if e.topic == topic]
        assert got == expected, topic
    published = sum(len(es) for t, es in net.log.items() if any(t.startswith(p) for p in prefixes))
    assert len(net.delivered) == published
    assert len({e.id for e in net.delivered}) == published
