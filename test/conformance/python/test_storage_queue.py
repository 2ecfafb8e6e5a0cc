"""azure-storage-queue against moshpit's storage emulator (development account, connection
string): queue lifecycle and metadata, send/receive/update/delete, peek, visibility timeouts,
clear, and the service's error codes. Every test makes its own uniquely named queue."""
import time

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.storage.queue import QueueServiceClient

from conftest import env, unique


@pytest.fixture(scope="module")
def service():
    with QueueServiceClient.from_connection_string(env("MOSHPIT_STORAGE_CONNECTION_STRING"), retry_total=0) as s:
        yield s


@pytest.fixture
def queue(service):
    client = service.create_queue(unique("py"))
    yield client
    client.delete_queue()


def test_queue_lifecycle_and_metadata(service):
    name = unique("py-life")
    client = service.create_queue(name, metadata={"team": "moshpit"})
    try:
        assert client.get_queue_properties().metadata == {"team": "moshpit"}
        client.set_queue_metadata({"team": "moshpit", "tier": "test"})
        assert client.get_queue_properties().metadata["tier"] == "test"
        assert name in [q.name for q in service.list_queues(name_starts_with="py-life")]
        with pytest.raises(ResourceExistsError):
            service.create_queue(name, metadata={"other": "x"})
    finally:
        client.delete_queue()
    with pytest.raises(ResourceNotFoundError):
        client.get_queue_properties()


def test_send_receive_delete(queue):
    for i in range(3):
        queue.send_message(f"hello-{i}")
    got = list(queue.receive_messages(max_messages=3, visibility_timeout=30))
    assert sorted(m.content for m in got) == ["hello-0", "hello-1", "hello-2"]
    assert all(m.dequeue_count == 1 and m.pop_receipt for m in got)
    for m in got:
        queue.delete_message(m)
    assert list(queue.peek_messages(max_messages=32)) == []
    assert queue.get_queue_properties().approximate_message_count == 0


def test_peek_does_not_dequeue(queue):
    queue.send_message("look")
    [peeked] = queue.peek_messages()
    assert peeked.content == "look" and peeked.dequeue_count == 0
    [m] = queue.receive_messages(max_messages=1)
    assert m.content == "look" and m.dequeue_count == 1


def test_visibility_timeout_redelivers(queue):
    queue.send_message("comeback")
    [first] = queue.receive_messages(max_messages=1, visibility_timeout=1)
    assert list(queue.receive_messages(max_messages=1)) == []
    time.sleep(1.3)
    [second] = queue.receive_messages(max_messages=1)
    assert second.id == first.id and second.dequeue_count == 2
    with pytest.raises(HttpResponseError) as caught:
        queue.delete_message(first.id, first.pop_receipt)  # stale receipt
    assert caught.value.status_code == 400 and caught.value.error_code == "PopReceiptMismatch"
    queue.delete_message(second)


def test_update_message_content_and_visibility(queue):
    queue.send_message("draft")
    [m] = queue.receive_messages(max_messages=1, visibility_timeout=30)
    updated = queue.update_message(m, content="final", visibility_timeout=0)
    assert updated.pop_receipt and updated.pop_receipt != m.pop_receipt
    [again] = queue.receive_messages(max_messages=1)
    assert again.content == "final"


def test_initial_visibility_delay_and_clear(queue):
    queue.send_message("later", visibility_timeout=60)
    queue.send_message("now")
    assert [p.content for p in queue.peek_messages(max_messages=32)] == ["now"]
    queue.clear_messages()
    assert list(queue.peek_messages(max_messages=32)) == []


def test_missing_queue_is_not_found(service):
    with pytest.raises(ResourceNotFoundError) as caught:
        service.get_queue_client(unique("py-none")).send_message("x")
    assert caught.value.error_code == "QueueNotFound"
