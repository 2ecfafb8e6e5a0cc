"""azure-servicebus (pure-Python AMQP) against moshpit's Service Bus emulator: settlement,
deferral, scheduling, peek, sessions with state, topics with correlation and SQL filters.
Entities come from test/conformance/config/service-bus.json (py-*); each test drains what it
reads, so the order of tests does not matter."""
import datetime
import uuid

import pytest
from azure.servicebus import NEXT_AVAILABLE_SESSION, ServiceBusClient, ServiceBusMessage, ServiceBusReceiveMode, ServiceBusSubQueue
from azure.servicebus.exceptions import ServiceBusError

from conftest import env

WAIT_S = 3


@pytest.fixture(scope="module")
def client():
    with ServiceBusClient.from_connection_string(env("MOSHPIT_SB_CONNECTION_STRING"), retry_total=1) as c:
        yield c


def send(client, queue, *messages):
    with client.get_queue_sender(queue) as sender:
        sender.send_messages(list(messages))


def receive_all(receiver, count, wait_s=WAIT_S):
    got = []
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=wait_s * 3)
    while len(got) < count and datetime.datetime.now() < deadline:
        got += receiver.receive_messages(max_message_count=count - len(got), max_wait_time=wait_s)
    return got


def test_send_receive_complete(client):
    tag = uuid.uuid4().hex
    send(client, "py-queue", *[ServiceBusMessage(f"m{i}", application_properties={"tag": tag, "i": i}, subject="s") for i in range(3)])
    with client.get_queue_receiver("py-queue", max_wait_time=WAIT_S) as receiver:
        got = receive_all(receiver, 3)
        assert sorted(str(m) for m in got) == ["m0", "m1", "m2"]
        assert all(m.application_properties[b"tag"] == tag.encode() for m in got)
        assert all(m.subject == "s" and m.delivery_count == 0 and m.sequence_number >= 1 for m in got)
        for m in got:
            receiver.complete_message(m)
        assert receiver.receive_messages(max_wait_time=1) == []


def test_batch_and_receive_and_delete(client):
    with client.get_queue_sender("py-queue") as sender:
        batch = sender.create_message_batch()
        for i in range(5):
            batch.add_message(ServiceBusMessage(f"b{i}"))
        sender.send_messages(batch)
    with client.get_queue_receiver("py-queue", receive_mode=ServiceBusReceiveMode.RECEIVE_AND_DELETE, max_wait_time=WAIT_S) as receiver:
        got = receive_all(receiver, 5)
        assert sorted(str(m) for m in got) == [f"b{i}" for i in range(5)]
    with client.get_queue_receiver("py-queue", max_wait_time=1) as receiver:
        assert receiver.receive_messages(max_wait_time=1) == []


def test_abandon_redelivers_with_count(client):
    send(client, "py-settle", ServiceBusMessage("again"))
    with client.get_queue_receiver("py-settle", max_wait_time=WAIT_S) as receiver:
        [first] = receive_all(receiver, 1)
        receiver.abandon_message(first)
        [second] = receive_all(receiver, 1)
        assert str(second) == "again" and second.delivery_count == 1
        receiver.complete_message(second)


def test_dead_letter_with_reason(client):
    send(client, "py-settle", ServiceBusMessage("poison"))
    with client.get_queue_receiver("py-settle", max_wait_time=WAIT_S) as receiver:
        [m] = receive_all(receiver, 1)
        receiver.dead_letter_message(m, reason="bad-input", error_description="cannot parse")
    with client.get_queue_receiver("py-settle", sub_queue=ServiceBusSubQueue.DEAD_LETTER, max_wait_time=WAIT_S) as dlq:
        [dead] = receive_all(dlq, 1)
        assert str(dead) == "poison"
        assert dead.dead_letter_reason == "bad-input"
        assert dead.dead_letter_error_description == "cannot parse"
        dlq.complete_message(dead)


def test_lock_renewal(client):
    send(client, "py-settle", ServiceBusMessage("renew"))
    with client.get_queue_receiver("py-settle", max_wait_time=WAIT_S) as receiver:
        [m] = receive_all(receiver, 1)
        before = m.locked_until_utc
        after = receiver.renew_message_lock(m)
        assert after >= before
        receiver.complete_message(m)


def test_defer_and_receive_deferred(client):
    send(client, "py-defer", ServiceBusMessage("later"))
    with client.get_queue_receiver("py-defer", max_wait_time=WAIT_S) as receiver:
        [m] = receive_all(receiver, 1)
        seq = m.sequence_number
        receiver.defer_message(m)
        assert receiver.receive_messages(max_wait_time=1) == []
        [deferred] = receiver.receive_deferred_messages([seq])
        assert str(deferred) == "later" and deferred.sequence_number == seq
        receiver.complete_message(deferred)
        with pytest.raises(ServiceBusError):
            receiver.receive_deferred_messages([seq])


def test_schedule_and_cancel(client):
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
    far = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    with client.get_queue_sender("py-schedule") as sender:
        [kept] = sender.schedule_messages(ServiceBusMessage("soon"), soon)
        [cancelled] = sender.schedule_messages(ServiceBusMessage("never"), far)
        assert cancelled > kept
        sender.cancel_scheduled_messages(cancelled)
    with client.get_queue_receiver("py-schedule", max_wait_time=1) as receiver:
        peeked = receiver.peek_messages(max_message_count=10)
        assert [p.sequence_number for p in peeked] == [kept]
        got = receive_all(receiver, 1, wait_s=4)
        assert [str(m) for m in got] == ["soon"]
        assert got[0].scheduled_enqueue_time_utc is not None
        receiver.complete_message(got[0])
        assert receiver.receive_messages(max_wait_time=1) == []


def test_peek_does_not_lock(client):
    send(client, "py-queue", ServiceBusMessage("p1"), ServiceBusMessage("p2"))
    with client.get_queue_receiver("py-queue", max_wait_time=WAIT_S) as receiver:
        peeked = receiver.peek_messages(max_message_count=5)
        assert [str(p) for p in peeked] == ["p1", "p2"]
        again = receiver.peek_messages(max_message_count=1, sequence_number=peeked[1].sequence_number)
        assert [str(p) for p in again] == ["p2"]
        got = receive_all(receiver, 2)
        assert sorted(str(m) for m in got) == ["p1", "p2"]
        for m in got:
            receiver.complete_message(m)


def test_sessions_with_state(client):
    with client.get_queue_sender("py-sessions") as sender:
        sender.send_messages([ServiceBusMessage(f"a{i}", session_id="alpha") for i in range(3)] + [ServiceBusMessage("b0", session_id="beta")])
    with client.get_queue_receiver("py-sessions", session_id="alpha", max_wait_time=WAIT_S) as receiver:
        assert receiver.session.session_id == "alpha"
        got = receive_all(receiver, 3)
        assert [str(m) for m in got] == ["a0", "a1", "a2"]
        assert all(m.session_id == "alpha" for m in got)
        for m in got:
            receiver.complete_message(m)
        receiver.session.set_state(b"step-3")
        assert receiver.session.get_state() == b"step-3"
        receiver.session.renew_lock()
        assert receiver.session.locked_until_utc is not None
    with client.get_queue_receiver("py-sessions", session_id="alpha", max_wait_time=1) as receiver:
        assert receiver.session.get_state() == b"step-3"
        receiver.session.set_state(None)
    with client.get_queue_receiver("py-sessions", session_id="beta", max_wait_time=WAIT_S) as receiver:
        [b] = receive_all(receiver, 1)
        assert str(b) == "b0"
        receiver.complete_message(b)


def test_next_available_session(client):
    send(client, "py-sessions", ServiceBusMessage("g0", session_id="gamma"))
    with client.get_queue_receiver("py-sessions", session_id=NEXT_AVAILABLE_SESSION, max_wait_time=WAIT_S) as receiver:
        assert receiver.session.session_id == "gamma"
        [m] = receive_all(receiver, 1)
        receiver.complete_message(m)


def test_topic_filters(client):
    with client.get_topic_sender("py-topic") as sender:
        sender.send_messages([
            ServiceBusMessage("red-small", subject="red", application_properties={"size": 1}),
            ServiceBusMessage("blue-big", subject="blue", application_properties={"size": 9}),
        ])
    expected = {"py-all": ["blue-big", "red-small"], "py-red": ["red-small"], "py-big": ["blue-big"]}
    for subscription, bodies in expected.items():
        with client.get_subscription_receiver("py-topic", subscription, max_wait_time=WAIT_S) as receiver:
            got = receive_all(receiver, len(bodies))
            assert sorted(str(m) for m in got) == bodies, subscription
            for m in got:
                receiver.complete_message(m)
            assert receiver.receive_messages(max_wait_time=1) == [], subscription


def test_unknown_queue_is_an_error(client):
    with pytest.raises(ServiceBusError) as caught:
        with client.get_queue_sender("no-such-queue") as sender:
            sender.send_messages(ServiceBusMessage("x"))
    assert "could not be found" in str(caught.value)
