"""azure-servicebus (pure-Python AMQP) against moshpit's Service Bus emulator: settlement,
deferral, scheduling, peek, sessions with state, topics with correlation and SQL filters.
Entities come from test/conformance/config/service-bus.json (py-*); each test drains what it
reads, so the order of tests does not matter. Handlers are shared per module (see Handlers in
conftest.py) and emptiness is checked with peek, which answers at once, to keep the file fast."""
import datetime
import uuid

import pytest
from azure.servicebus import NEXT_AVAILABLE_SESSION, ServiceBusClient, ServiceBusMessage, ServiceBusMessageState, ServiceBusReceiveMode, ServiceBusSubQueue
from azure.servicebus.exceptions import MessageNotFoundError, ServiceBusError, SessionCannotBeLockedError

from conftest import Handlers, env

WAIT_S = 3


@pytest.fixture(scope="module")
def client():
    with ServiceBusClient.from_connection_string(env("MOSHPIT_SB_CONNECTION_STRING"), retry_total=1, retry_backoff_factor=0.05) as c:
        yield c


# every sender and receiver the tests use, opened once (see Handlers in conftest.py)
HANDLERS = {
    "queue.send": lambda c: c.get_queue_sender("py-queue"),
    "queue.recv": lambda c: c.get_queue_receiver("py-queue", max_wait_time=WAIT_S),
    "queue.rad": lambda c: c.get_queue_receiver("py-queue", max_wait_time=WAIT_S, receive_mode=ServiceBusReceiveMode.RECEIVE_AND_DELETE),
    "settle.send": lambda c: c.get_queue_sender("py-settle"),
    "settle.recv": lambda c: c.get_queue_receiver("py-settle", max_wait_time=WAIT_S),
    "settle.dlq": lambda c: c.get_queue_receiver("py-settle", max_wait_time=WAIT_S, sub_queue=ServiceBusSubQueue.DEAD_LETTER),
    "defer.send": lambda c: c.get_queue_sender("py-defer"),
    "defer.recv": lambda c: c.get_queue_receiver("py-defer", max_wait_time=WAIT_S),
    "schedule.send": lambda c: c.get_queue_sender("py-schedule"),
    "schedule.recv": lambda c: c.get_queue_receiver("py-schedule", max_wait_time=WAIT_S),
    "sessions.send": lambda c: c.get_queue_sender("py-sessions"),
    "topic.send": lambda c: c.get_topic_sender("py-topic"),
    "py-all": lambda c: c.get_subscription_receiver("py-topic", "py-all", max_wait_time=WAIT_S),
    "py-red": lambda c: c.get_subscription_receiver("py-topic", "py-red", max_wait_time=WAIT_S),
    "py-big": lambda c: c.get_subscription_receiver("py-topic", "py-big", max_wait_time=WAIT_S),
}


@pytest.fixture(scope="module")
def h(client):
    handlers = Handlers(client, HANDLERS)
    yield handlers
    handlers.close()


def receive_all(r, count, wait_s=WAIT_S):
    got = []
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=wait_s * 2)
    while len(got) < count and datetime.datetime.now() < deadline:
        got += r.receive_messages(max_message_count=count - len(got), max_wait_time=wait_s)
    return got


def remaining(r):
    """Everything still in the entity (peek from the start: the SDK otherwise resumes after the last message it saw)."""
    return r.peek_messages(max_message_count=10, sequence_number=1)


def test_send_receive_complete(h):
    tag = uuid.uuid4().hex
    h["queue.send"].send_messages([ServiceBusMessage(f"m{i}", application_properties={"tag": tag, "i": i}, subject="s") for i in range(3)])
    r = h["queue.recv"]
    got = receive_all(r, 3)
    assert sorted(str(m) for m in got) == ["m0", "m1", "m2"]
    assert all(m.application_properties[b"tag"] == tag.encode() for m in got)
    assert all(m.subject == "s" and m.delivery_count == 0 and m.sequence_number >= 1 for m in got)
    for m in got:
        r.complete_message(m)
    assert remaining(r) == []


def test_batch_and_receive_and_delete(h):
    s = h["queue.send"]
    batch = s.create_message_batch()
    for i in range(5):
        batch.add_message(ServiceBusMessage(f"b{i}"))
    s.send_messages(batch)
    rad = h["queue.rad"]
    got = receive_all(rad, 5)
    assert sorted(str(m) for m in got) == [f"b{i}" for i in range(5)]
    assert remaining(rad) == []


def test_abandon_redelivers_with_count(h):
    h["settle.send"].send_messages(ServiceBusMessage("again"))
    r = h["settle.recv"]
    [first] = receive_all(r, 1)
    r.abandon_message(first)
    [second] = receive_all(r, 1)
    assert str(second) == "again" and second.delivery_count == 1
    r.complete_message(second)


def test_dead_letter_with_reason(h):
    h["settle.send"].send_messages(ServiceBusMessage("poison"))
    r = h["settle.recv"]
    [m] = receive_all(r, 1)
    r.dead_letter_message(m, reason="bad-input", error_description="cannot parse")
    dlq = h["settle.dlq"]
    [dead] = receive_all(dlq, 1)
    assert str(dead) == "poison"
    assert dead.dead_letter_reason == "bad-input"
    assert dead.dead_letter_error_description == "cannot parse"
    dlq.complete_message(dead)


def test_lock_renewal(h):
    h["settle.send"].send_messages(ServiceBusMessage("renew"))
    r = h["settle.recv"]
    [m] = receive_all(r, 1)
    before = m.locked_until_utc
    after = r.renew_message_lock(m)
    assert after >= before
    r.complete_message(m)


def test_defer_and_receive_deferred(h):
    h["defer.send"].send_messages(ServiceBusMessage("later"))
    r = h["defer.recv"]
    [m] = receive_all(r, 1)
    seq = m.sequence_number
    r.defer_message(m)
    [peeked] = remaining(r)
    assert peeked.sequence_number == seq and peeked.state == ServiceBusMessageState.DEFERRED
    [deferred] = r.receive_deferred_messages([seq])
    assert str(deferred) == "later" and deferred.sequence_number == seq
    r.complete_message(deferred)
    with pytest.raises(MessageNotFoundError):
        r.receive_deferred_messages([seq])


def test_schedule_and_cancel(h):
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1)
    far = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    s = h["schedule.send"]
    [kept] = s.schedule_messages(ServiceBusMessage("soon"), soon)
    [cancelled] = s.schedule_messages(ServiceBusMessage("never"), far)
    assert cancelled > kept
    s.cancel_scheduled_messages(cancelled)
    r = h["schedule.recv"]
    peeked = remaining(r)
    assert [p.sequence_number for p in peeked] == [kept]
    assert peeked[0].state == ServiceBusMessageState.SCHEDULED
    got = receive_all(r, 1, wait_s=4)
    assert [str(m) for m in got] == ["soon"]
    assert got[0].scheduled_enqueue_time_utc is not None
    r.complete_message(got[0])
    assert remaining(r) == []


def test_peek_does_not_lock(h):
    h["queue.send"].send_messages([ServiceBusMessage("p1"), ServiceBusMessage("p2")])
    r = h["queue.recv"]
    peeked = remaining(r)
    assert [str(p) for p in peeked] == ["p1", "p2"]
    again = r.peek_messages(max_message_count=1, sequence_number=peeked[1].sequence_number)
    assert [str(p) for p in again] == ["p2"]
    got = receive_all(r, 2)
    assert sorted(str(m) for m in got) == ["p1", "p2"]
    for m in got:
        r.complete_message(m)


def test_sessions_with_state(h, client):
    h["sessions.send"].send_messages([ServiceBusMessage(f"a{i}", session_id="alpha") for i in range(3)])
    with client.get_queue_receiver("py-sessions", session_id="alpha", max_wait_time=WAIT_S) as r:
        assert r.session.session_id == "alpha"
        got = receive_all(r, 3)
        assert [str(m) for m in got] == ["a0", "a1", "a2"]
        assert all(m.session_id == "alpha" for m in got)
        for m in got:
            r.complete_message(m)
        r.session.set_state(b"step-3")
        assert r.session.get_state() == b"step-3"
        with pytest.raises(SessionCannotBeLockedError):
            with client.get_queue_receiver("py-sessions", session_id="alpha", max_wait_time=1):
                pass  # a second holder: Azure refuses with com.microsoft:session-cannot-be-locked
        before = r.session.locked_until_utc
        r.session.renew_lock()
        assert r.session.locked_until_utc >= before
    with client.get_queue_receiver("py-sessions", session_id="alpha", max_wait_time=1) as r:
        assert r.session.get_state() == b"step-3"
        r.session.set_state(None)
        assert r.session.get_state() is None


def test_next_available_session(h, client):
    h["sessions.send"].send_messages(ServiceBusMessage("g0", session_id="gamma"))
    with client.get_queue_receiver("py-sessions", session_id=NEXT_AVAILABLE_SESSION, max_wait_time=WAIT_S) as r:
        assert r.session.session_id == "gamma"
        [m] = receive_all(r, 1)
        assert str(m) == "g0" and m.session_id == "gamma"
        r.complete_message(m)


def test_topic_filters(h):
    s = h["topic.send"]
    s.send_messages([
        ServiceBusMessage("red-small", subject="red", application_properties={"size": 1}),
        ServiceBusMessage("blue-big", subject="blue", application_properties={"size": 9}),
    ])
    expected = {"py-all": ["blue-big", "red-small"], "py-red": ["red-small"], "py-big": ["blue-big"]}
    for subscription, bodies in expected.items():
        r = h[subscription]
        got = receive_all(r, len(bodies))
        assert sorted(str(m) for m in got) == bodies, subscription
        for m in got:
            r.complete_message(m)
        assert remaining(r) == [], subscription


def test_unknown_queue_is_an_error(client):
    with pytest.raises(ServiceBusError) as caught:
        with client.get_queue_sender("no-such-queue") as s:
            s.send_messages(ServiceBusMessage("x"))
    assert "could not be found" in str(caught.value)
