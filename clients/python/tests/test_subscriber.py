"""The socket shell against a fake bus in a thread (plain ZeroMQ, no CURVE): a PUB that
loses, repeats and reorders, heartbeats, and a ROUTER that answers replays from its log —
sometimes not at all. Runs without the Swift binaries."""

import json
import random
import threading
import time
import uuid

import zmq

from shouwang_bus import BusEndpoints, MemoryCheckpoint, Subscriber

TOPICS = ["fake.a.x", "fake.b.y", "other.c.z"]


class FakeBus(threading.Thread):
    def __init__(self, total, seed):
        super().__init__(daemon=True)
        self.total = total
        self.random = random.Random(seed)
        self.context = zmq.Context()
        self.pub = self.context.socket(zmq.PUB)
        self.pub.linger = 0
        self.pub_port = self.pub.bind_to_random_port("tcp://127.0.0.1")
        self.router = self.context.socket(zmq.ROUTER)
        self.router.linger = 0
        self.router_port = self.router.bind_to_random_port("tcp://127.0.0.1")
        self.log = {}
        self.stopping = threading.Event()
        self.done = threading.Event()
        self.requests = 0

    @property
    def endpoints(self):
        return BusEndpoints(subscribe=f"tcp://127.0.0.1:{self.pub_port}", replay=f"tcp://127.0.0.1:{self.router_port}")

    def envelope(self, topic, seq):
        return {"id": str(uuid.UUID(int=self.random.getrandbits(128))), "topic": topic, "seq": seq,
                "stream": topic.split(".")[0], "v": 1, "occurredAt": "2026-11-30T12:00:00.000Z", "key": f"k{seq}",
                "data": {"n": seq}}

    def send(self, envelope):
        self.pub.send_multipart([envelope["topic"].encode(), json.dumps(envelope).encode()])

    def serve(self):
        while self.router.poll(0):
            identity, empty, body = self.router.recv_multipart()
            self.requests += 1
            request = json.loads(body)
            if self.random.random() < 0.1:
                continue  # lost: the client resends after its timeout
            if self.random.random() < 0.05:
                refusal = {"end": True, "heads": {}, "error": "too many replay requests"}
                self.router.send_multipart([identity, b"", json.dumps(refusal).encode()])
                continue
            prefix, after, limit = request["prefix"], request["after"], request["limit"]
            frames, heads = [], {}
            for topic in sorted(self.log):
                if not topic.startswith(prefix):
                    continue
                heads[topic] = len(self.log[topic])
                for envelope in self.log[topic][after.get(topic, 0):]:
                    if len(frames) // 2 >= limit:
                        break
                    frames += [topic.encode(), json.dumps(envelope).encode()]
            frames.append(json.dumps({"end": True, "heads": heads}).encode())
            self.router.send_multipart([identity, b"", *frames])

    def run(self):
        delayed = []
        published = 0
        last_beat = 0.0
        while not self.stopping.is_set():
            if published < self.total:
                for _ in range(20):
                    topic = self.random.choice(TOPICS)
                    envelope = self.envelope(topic, len(self.log.setdefault(topic, [])) + 1)
                    self.log[topic].append(envelope)
                    published += 1
                    roll = self.random.random()
                    if roll < 0.2:
                        pass  # lost
                    elif roll < 0.3:
                        self.send(envelope)
                        self.send(envelope)
                    elif roll < 0.4:
                        delayed.append(envelope)
                    else:
                        self.send(envelope)
                    if delayed and self.random.random() < 0.3:
                        self.send(delayed.pop(0))
            elif not self.done.is_set():
                self.done.set()
            if time.monotonic() - last_beat > 0.1:
                last_beat = time.monotonic()
                for topic, events in self.log.items():
                    self.pub.send_multipart([topic.encode(), json.dumps(
                        {"topic": topic, "seq": len(events), "stream": "fake", "heartbeat": True,
                         "occurredAt": "2026-11-30T12:00:00.000Z"}).encode()])
            self.serve()
            time.sleep(0.002)
        self.pub.close(0)
        self.router.close(0)
        self.context.term()


def test_the_shell_delivers_every_event_once_in_order_through_a_lossy_bus_and_a_restart():
    bus = FakeBus(total=3000, seed=7)
    bus.start()
    try:
        checkpoint = MemoryCheckpoint()
        seen = []
        options = dict(endpoints=bus.endpoints, checkpoint=checkpoint, replay_timeout=0.3, page_limit=100)
        with Subscriber(["fake."], **options) as subscriber:
            deadline = time.monotonic() + 30
            while len(seen) < 1000 and time.monotonic() < deadline:
                seen += subscriber.poll(timeout=0.2)
            subscriber.commit()
        # A restart from the checkpoint, while the bus goes on publishing.
        with Subscriber(["fake."], **options) as subscriber:
            deadline = time.monotonic() + 60

            def caught_up():
                heads = {t: len(e) for t, e in list(bus.log.items()) if t.startswith("fake.")}
                return bus.done.is_set() and subscriber.positions == heads

            while not caught_up():
                assert time.monotonic() < deadline, f"{len(seen)} events, positions {subscriber.positions}"
                seen += subscriber.poll(timeout=0.2)
                subscriber.commit()
            assert subscriber.stats["replays"] > 0
    finally:
        bus.stopping.set()
        bus.join(5)
    for topic in ("fake.a.x", "fake.b.y"):
        assert [e.seq for e in seen if e.topic == topic] == list(range(1, len(bus.log[topic]) + 1))
    assert not [e for e in seen if e.topic.startswith("other.")]
    assert len({e.id for e in seen}) == len(seen)
