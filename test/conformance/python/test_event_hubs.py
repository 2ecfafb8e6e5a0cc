"""azure-eventhub 5.15 (pure-Python AMQP, "pyamqp") against moshpit's Event Hubs emulator: hub
and partition properties over $management, batches by partition key and to an explicit
partition, every consumer group, every start position (earliest, latest, sequence number,
enqueued time) and checkpointing with azure-eventhub-checkpointstoreblob against the storage
emulator's blob service. Hubs py-* come from test/conformance/config/event-hubs.json; each test
tags its events with a fresh id and looks only at its own, so the order of tests does not
matter. Kept short (few events, one partition per receive): the whole file runs in seconds."""
import datetime
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from azure.eventhub import EventData, EventHubConsumerClient, EventHubProducerClient
from azure.eventhub.extensions.checkpointstoreblob import BlobCheckpointStore
from azure.storage.blob import BlobServiceClient

from conftest import env

WAIT_S = 8


_producers = {}


def producer(hub):
    """One producer per hub for the whole file: a pyamqp connection takes about a second to open."""
    if hub not in _producers:
        _producers[hub] = EventHubProducerClient.from_connection_string(
            env("MOSHPIT_EH_CONNECTION_STRING"), eventhub_name=hub, retry_total=1)
    return _producers[hub]


@pytest.fixture(scope="module", autouse=True)
def close_producers():
    yield
    for client in _producers.values():
        client.close()


def consumer(hub, group="$Default", **kwargs):
    return EventHubConsumerClient.from_connection_string(
        env("MOSHPIT_EH_CONNECTION_STRING"), consumer_group=group, eventhub_name=hub, retry_total=1, **kwargs)


def send(hub, bodies, **batch_options):
    client = producer(hub)
    batch = client.create_batch(**batch_options)
    for body in bodies:
        batch.add(EventData(body))
    client.send_batch(batch)


def collect(client, tag, count, partition_id="0", checkpoint=False, ready=None, join=False, **receive_options):
    """Receives (from one partition, or all with partition_id=None) until `count` events tagged `tag`
    arrived, or WAIT_S (1 s when none is expected), then closes. Returns their bodies and
    (partition id, event) pairs. `ready` (a threading.Event) is set once a partition is claimed."""
    got, done = [], threading.Event()

    def on_event(context, event):
        if event is not None and event.body_as_str().startswith(tag):
            got.append((context.partition_id, event))
            if checkpoint:
                context.update_checkpoint(event)
        if len(got) >= count:
            done.set()

    def on_init(context):
        if ready is not None:
            ready.set()

    worker = threading.Thread(daemon=True, target=lambda: client.receive(
        on_event, partition_id=partition_id, max_wait_time=0.5, on_partition_initialize=on_init, **receive_options))
    worker.start()
    done.wait(WAIT_S if count else 1)
    client.close()
    if join:  # the receive thread ends on its own within max_wait_time; waiting costs ~0.7 s
        worker.join(WAIT_S)
    return [e.body_as_str() for _, e in got], got


def collect_parallel(*calls):
    """Each (client, tag, count, kwargs) collected at once: a pyamqp consumer takes ~1 s to start."""
    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(collect, client, tag, count, **kwargs) for client, tag, count, kwargs in calls]
        return [f.result()[0] for f in futures]


def tagged(n):
    tag = uuid.uuid4().hex[:12]
    return tag, [f"{tag}-{i}" for i in range(n)]


def test_hub_and_partition_properties():
    client = producer("py-send")
    hub = client.get_eventhub_properties()
    assert hub["eventhub_name"] == "py-send"
    assert hub["partition_ids"] == ["0", "1"]
    assert isinstance(hub["created_at"], datetime.datetime)
    assert client.get_partition_ids() == ["0", "1"]
    before = client.get_partition_properties("1")
    send("py-send", ["props"], partition_id="1")
    after = client.get_partition_properties("1")
    assert after["id"] == "1" and after["eventhub_name"] == "py-send"
    assert after["last_enqueued_sequence_number"] == before["last_enqueued_sequence_number"] + 1
    assert after["is_empty"] is False
    assert after["last_enqueued_time_utc"] > datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)


def test_batch_to_an_explicit_partition_arrives_in_order():
    tag, bodies = tagged(4)
    send("py-send", bodies, partition_id="1")
    got, events = collect(consumer("py-send"), tag, 4, partition_id="1", starting_position="-1")
    assert got == bodies
    seqs = [e.sequence_number for _, e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
    assert all(e.partition_key is None for _, e in events)


def test_one_partition_key_lands_in_one_partition():
    tag, bodies = tagged(3)
    send("py-send", bodies, partition_key=tag)
    got, events = collect(consumer("py-send"), tag, 3, partition_id=None, starting_position="-1")
    assert got == bodies
    assert len({pid for pid, _ in events}) == 1
    assert all(e.partition_key in (tag, tag.encode()) for _, e in events)  # pyamqp hands string annotations back as bytes


def test_every_consumer_group_reads_every_event():
    tag, bodies = tagged(2)
    send("py-groups", bodies, partition_id="0")
    groups = ("$Default", "py-group-1", "py-group-2")
    results = collect_parallel(*[(consumer("py-groups", g), tag, 2, {"starting_position": "-1"}) for g in groups])
    assert dict(zip(groups, results)) == {g: bodies for g in groups}


def test_start_positions():
    tag, bodies = tagged(3)
    before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
    send("py-positions", bodies, partition_id="0")
    _, events = collect(consumer("py-positions"), tag, 3, starting_position="-1")
    first, last = events[0][1], events[2][1]
    positions = {
        "after sequence number": (2, {"starting_position": {"0": first.sequence_number}}),
        "at sequence number": (3, {"starting_position": {"0": first.sequence_number}, "starting_position_inclusive": True}),
        "enqueued before": (3, {"starting_position": before}),
        "enqueued after the last": (0, {"starting_position": last.enqueued_time + datetime.timedelta(seconds=1)}),
    }
    results = collect_parallel(*[(consumer("py-positions"), tag, n, kw) for n, kw in positions.values()])
    assert dict(zip(positions, results)) == {
        "after sequence number": bodies[1:], "at sequence number": bodies, "enqueued before": bodies, "enqueued after the last": []}


def test_latest_sees_only_what_comes_after():
    tag, bodies = tagged(2)
    send("py-positions", bodies[:1], partition_id="1")
    ready, client, result = threading.Event(), consumer("py-positions"), {}
    worker = threading.Thread(target=lambda: result.update(got=collect(client, tag, 1, partition_id="1", ready=ready, starting_position="@latest")[0]))
    worker.start()
    assert ready.wait(WAIT_S)
    time.sleep(1)
    send("py-positions", bodies[1:], partition_id="1")
    worker.join(WAIT_S * 2)
    assert result["got"] == bodies[1:]


def test_checkpoints_in_blob_storage_resume_the_next_consumer():
    storage = env("MOSHPIT_STORAGE_CONNECTION_STRING")
    container = f"py-checkpoints-{uuid.uuid4().hex[:8]}"
    BlobServiceClient.from_connection_string(storage).create_container(container)
    store = BlobCheckpointStore.from_connection_string(storage, container)
    tag, bodies = tagged(3)
    send("py-checkpoint", bodies, partition_id="0")
    got, events = collect(consumer("py-checkpoint", checkpoint_store=store), tag, 3, checkpoint=True, join=True, starting_position="-1")
    assert got == bodies
    namespace = consumer("py-checkpoint")._address.hostname  # the SDK's own key for checkpoints: host:port here
    checkpoints = store.list_checkpoints(namespace, "py-checkpoint", "$Default")
    assert [(c["partition_id"], c["sequence_number"]) for c in checkpoints] == [("0", events[-1][1].sequence_number)]
    send("py-checkpoint", [f"{tag}-after"], partition_id="0")
    resumed, _ = collect(consumer("py-checkpoint", checkpoint_store=store), tag, 1, starting_position="-1")
    assert resumed == [f"{tag}-after"]
