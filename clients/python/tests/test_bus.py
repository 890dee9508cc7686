"""The client against the real thing: PostgreSQL, shouwang-bus with CURVE, the shouwang CLI's
publishers and relays, and the example subscriber (examples/tail.py) as a process that is
killed and restarted. SHOUWANG_PYCLIENT_COUNT sets the events per test (default 3000)."""

import json
import os
import random
import subprocess
import sys
import time

import pytest

import shouwang_bus
from stack import EXAMPLE, Stack, count, gap_free_per_topic, positions, recorded, wait_until

pytestmark = pytest.mark.bus

COUNT = int(os.environ.get("SHOUWANG_PYCLIENT_COUNT", "3000"))
#: How long a test waits for the subscriber to catch up (debug binaries, 2 cores, a busy machine).
CATCH_UP = 120 + COUNT / 100


@pytest.fixture(scope="module")
def stack():
    running = Stack()
    try:
        yield running.start()
    finally:
        running.close()


def check_exactly_once(db, total, stream, topics=3):
    rows = recorded(db)
    assert len(rows) == total, f"{len(rows)} events recorded, {total} published"
    assert len({row[2] for row in rows}) == total, "an event was recorded twice"
    assert gap_free_per_topic(rows), "a topic's events are out of order or have a gap"
    assert {row[0] for row in rows} == {f"{stream}.probe.p{n}" for n in range(topics)}
    assert sum(positions(db).values()) == total, "the checkpoint is not at the last event"


def test_every_event_arrives_once_and_in_order(stack, tmp_path):
    db = tmp_path / "order.sqlite"
    tail = stack.tail("pyorder.", db)
    started = time.monotonic()
    publisher = stack.publish("pyorder", COUNT)
    assert wait_until(lambda: count(db) >= COUNT, CATCH_UP, 0.2), f"{count(db)} of {COUNT}: {tail.errors}"
    elapsed = time.monotonic() - started
    assert publisher.wait(60) == 0, publisher.errors
    time.sleep(1.5)  # anything extra would show up as a duplicate (and fail the INSERT)
    assert tail.popen.poll() is None, f"the subscriber died: {tail.errors}"
    assert tail.terminate() == 0, tail.errors
    check_exactly_once(db, COUNT, "pyorder")
    print(f"\n{COUNT} events published and received in {elapsed:.1f} s")


def test_a_subscriber_killed_again_and_again_misses_nothing_and_repeats_nothing(stack, tmp_path):
    db = tmp_path / "kill.sqlite"
    rng = random.Random(int(os.environ.get("SHOUWANG_PYCLIENT_SEED", str(int(time.time())))))
    publisher = stack.publish("pykill", COUNT, "--batch", "50")
    at_kill = []
    for _ in range(5):
        before = count(db)
        if before >= COUNT:
            break
        tail = stack.tail("pykill.", db)
        # Let it start and take part of the stream, then kill -9 wherever it is.
        wait_until(lambda: count(db) > before, 30, 0.02)
        time.sleep(rng.uniform(0.0, 0.3))
        tail.kill()
        at_kill.append(count(db))
    assert publisher.wait(120) == 0, publisher.errors
    assert any(0 < n < COUNT for n in at_kill), f"no kill landed mid-stream: {at_kill}"
    last = stack.tail("pykill.", db)
    assert wait_until(lambda: count(db) >= COUNT, CATCH_UP, 0.2), f"{count(db)} of {COUNT}: {last.errors}"
    time.sleep(1.5)
    assert last.popen.poll() is None, f"the subscriber died (a repeated event fails its INSERT): {last.errors}"
    assert last.terminate() == 0
    check_exactly_once(db, COUNT, "pykill")
    print(f"\nkilled at {at_kill} events recorded; all {COUNT} once, in order")


def test_a_bus_restart_mid_stream_loses_nothing(stack, tmp_path):
    db = tmp_path / "bus.sqlite"
    relay = stack.relay("pybus")
    tail = stack.tail("pybus.", db)
    half = COUNT // 2
    first = stack.publish("pybus", half, "--no-relay", "--batch", "50")
    assert wait_until(lambda: count(db) >= half // 5, CATCH_UP, 0.02), f"{count(db)}: {tail.errors}"
    assert stack.stop_bus() == 0, "the bus did not stop gracefully"
    try:
        time.sleep(1)  # what the subscriber had received before the bus stopped is recorded
        stopped_at = count(db)
        # While the bus is down, the relay keeps sequencing what is written: nothing reaches anyone.
        assert first.wait(120) == 0, first.errors
        second = stack.publish("pybus", COUNT - half, "--no-relay")
        assert second.wait(120) == 0, second.errors
        assert count(db) == stopped_at, "events arrived with the bus down"
        assert stopped_at < COUNT
    finally:
        stack.start_bus()
    assert wait_until(lambda: count(db) >= COUNT, CATCH_UP, 0.2), f"{count(db)} of {COUNT}: {tail.errors}"
    time.sleep(1.5)
    assert tail.popen.poll() is None, f"the subscriber died: {tail.errors}"
    assert tail.terminate() == 0
    relay.terminate()
    check_exactly_once(db, COUNT, "pybus")
    print(f"\nbus stopped with {stopped_at} of {COUNT} recorded; all {COUNT} once, in order after its restart")


def test_two_prefixes_through_one_subscriber(stack):
    """The library itself (no example), two prefixes, the checkpoint in memory."""
    stack.publish("pymany", 300, "--topics", "2").wait(60)
    stack.publish("pyorder", 1, "--topics", "1").wait(60)
    checkpoint = shouwang_bus.MemoryCheckpoint()
    seen = []
    with shouwang_bus.Subscriber(["pymany.", "pyorder.probe.p0"], endpoints=stack.endpoints(), checkpoint=checkpoint) as sub:
        heads = shouwang_bus.heads("pymany.", stack.endpoints())
        heads.update(shouwang_bus.heads("pyorder.probe.p0", stack.endpoints()))
        deadline = time.monotonic() + 60
        while len(seen) < sum(heads.values()) and time.monotonic() < deadline:
            seen += sub.poll(timeout=0.5)
        sub.commit()
    assert sorted(checkpoint.positions.items()) == sorted(heads.items())
    by_topic = {}
    for event in seen:
        by_topic.setdefault(event.topic, []).append(event.seq)
    assert by_topic == {topic: list(range(1, head + 1)) for topic, head in heads.items()}
    assert all(e.data.get("run") and isinstance(e.data.get("n"), int) for e in seen)


def test_a_request_outside_the_grant_is_refused_with_a_reason(stack):
    with pytest.raises(shouwang_bus.ReplayRefused):
        shouwang_bus.heads("intake.", stack.endpoints())
    stranger = shouwang_bus.BusEndpoints(
        subscribe=stack.endpoints().subscribe, replay=stack.endpoints().replay,
        server_key=stack.server_key, secret_key=_new_secret(),
    )
    with pytest.raises(shouwang_bus.BusError, match="no reply"):
        shouwang_bus.ping(stranger, timeout=1)
    # A subscriber with that key says so (a warning on the shouwang_bus logger), not only silence.
    with shouwang_bus.Subscriber(["pyorder."], endpoints=stranger) as subscriber:
        deadline = time.monotonic() + 10
        while subscriber.stats["handshake_failures"] == 0 and time.monotonic() < deadline:
            assert subscriber.poll(timeout=0.5) == []
        assert subscriber.stats["handshake_failures"] >= 1


def _new_secret():
    import zmq

    return zmq.curve_keypair()[1].decode("ascii")


def test_the_integrators_walkthrough(stack, tmp_path):
    """docs/INTEGRATORS.md, step by step: a key of one's own made in Python, registered by
    the operator, the example subscriber, `shouwang publish-test --count N`, the subscriber
    killed with -9 and restarted, the bus restarted — and every event once."""
    my_key = tmp_path / "my.key"
    keygen = subprocess.run([sys.executable, "-m", "shouwang_bus", "keygen", str(my_key)], capture_output=True, text=True)
    assert keygen.returncode == 0, keygen.stderr
    public = keygen.stdout.strip()
    assert oct(my_key.stat().st_mode & 0o777) == "0o600"
    stack.cli("keys", "create", "--name", "my-laptop", "--role", "integrator", "--prefix", "test.", f"--public-key={public}")
    # The operator's own key publishes the `test` stream (Deploy/keys/provision.sh's `operator`).
    operator_key = tmp_path / "operator.key"
    stack.cli("keys", "create", "--name", "operator", "--role", "service", "--stream", "test", "--prefix", "",
              "--secret-file", str(operator_key))
    env = dict(stack.env, SHOUWANG_BUS_SECRET_KEY_FILE=str(my_key), PYTHONUNBUFFERED="1")
    # Registered keys reach the bus within its 2 s reload: `python -m shouwang_bus ping` says when.
    assert wait_until(
        lambda: subprocess.run([sys.executable, "-m", "shouwang_bus", "ping"], env=env, capture_output=True).returncode == 0,
        30, 0.5,
    )
    db = tmp_path / "tail.sqlite"
    tail_argv = [sys.executable, str(EXAMPLE), "test.", "--db", str(db)]
    tail = stack.spawn("walk-tail", tail_argv, env=env)
    publisher = stack.spawn(
        "walk-publish", [str(stack.bin / "shouwang"), "publish-test", "--count", str(COUNT), "--batch", "50"],
        env=dict(stack.env, SHOUWANG_BUS_SECRET_KEY_FILE=str(operator_key)),
    )
    assert wait_until(lambda: count(db) >= COUNT // 5, CATCH_UP, 0.02), tail.errors
    tail.kill()  # the integrator's own crash
    crashed_at = count(db)
    tail = stack.spawn("walk-tail", tail_argv, env=env)
    assert wait_until(lambda: count(db) >= COUNT // 2, CATCH_UP, 0.02), tail.errors
    assert stack.stop_bus() == 0  # the operator restarts the bus
    restarted_at = count(db)
    time.sleep(2)
    stack.start_bus()
    assert publisher.wait(120) == 0, publisher.errors
    assert wait_until(lambda: count(db) >= COUNT, CATCH_UP, 0.2), f"{count(db)} of {COUNT}: {tail.errors}"
    time.sleep(1.5)
    assert tail.popen.poll() is None, f"the subscriber died: {tail.errors}"
    assert tail.terminate() == 0
    check_exactly_once(db, COUNT, "test")
    printed = [json.loads(line) for line in tail.output.splitlines() if line.strip()]
    assert printed and all(p["topic"].startswith("test.probe.") for p in printed)
    print(f"\nkilled at {crashed_at}, bus restarted at {restarted_at}: all {COUNT} once, in order")


def test_a_lost_tail_is_fetched_once_a_heartbeat_announces_it(stack, tmp_path):
    db = tmp_path / "tail.sqlite"
    relay = stack.relay("pytail")
    tail = stack.tail("pytail.", db)
    assert stack.publish("pytail", 100, "--no-relay", "--topics", "1").wait(60) == 0
    assert wait_until(lambda: count(db) >= 100, 60, 0.1), tail.errors
    # A leader that numbered five events and died before publishing them: they are in the
    # outbox with their sequence numbers, and nothing will ever send them live.
    sql = """
        BEGIN;
        INSERT INTO outbox (id, stream, topic, seq, key, data, sequenced_at)
        SELECT gen_random_uuid(), 'pytail', 'pytail.probe.p0', 100 + n, 'lost-' || n, '{}'::jsonb, now()
        FROM generate_series(1, 5) AS n;
        UPDATE topic_heads SET head = 105 WHERE topic = 'pytail.probe.p0';
        COMMIT;
    """
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", stack.database_url, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)
    assert wait_until(lambda: count(db) >= 105, 20, 0.1), f"{count(db)}: {tail.errors}"
    time.sleep(1)
    tail.terminate()
    relay.terminate()
    rows = recorded(db)
    assert len(rows) == 105 and gap_free_per_topic(rows)
