"""azure-eventgrid against moshpit's Event Grid emulator: publish in the EventGrid schema and in
the CloudEvents 1.0 schema, and see the events arrive at a webhook subscription created through
the emulator's control API (the test's own HTTP server answers both validation handshakes).
Topics py-grid (EventGridSchema) and py-cloud (CloudEventSchemaV1_0) come from
test/conformance/config/event-grid.json."""
import json
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError
from azure.core.messaging import CloudEvent
from azure.eventgrid import EventGridEvent, EventGridPublisherClient

from conftest import env

DELIVERY_WAIT_S = 10


class Webhook(BaseHTTPRequestHandler):
    received = []  # (subscription header, event json), shared by the server's threads

    def log_message(self, *args):  # keep pytest's output clean
        pass

    def do_OPTIONS(self):  # CloudEvents abuse protection
        self.send_response(200)
        self.send_header("WebHook-Allowed-Origin", self.headers.get("WebHook-Request-Origin", "*"))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"null")
        events = body if isinstance(body, list) else [body]
        answer = b""
        if self.headers.get("aeg-event-type") == "SubscriptionValidation":
            answer = json.dumps({"validationResponse": events[0]["data"]["validationCode"]}).encode()
        else:
            for event in events:
                Webhook.received.append((self.headers.get("aeg-subscription-name"), self.headers.get("Content-Type"), event))
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.fixture(scope="module")
def webhook_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/events"
    server.shutdown()
    server.server_close()


def subscribe(topic, name, url, **filter_):
    body = {"name": name, "destination": {"endpointType": "WebHook", "properties": {"endpointUrl": url, "maxEventsPerBatch": 10}}}
    if filter_:
        body["filter"] = filter_
    request = urllib.request.Request(f"{env('MOSHPIT_EG_CONTROL_URL')}/topics/{topic}/subscriptions/{name}", data=json.dumps(body).encode(), method="PUT", headers={"content-type": "application/json", "x-moshpit-control-key": env("MOSHPIT_CONTROL_KEY")})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201)


def publisher(topic):
    upper = topic.upper().replace("-", "_")
    return EventGridPublisherClient(env(f"MOSHPIT_EG_{upper}_ENDPOINT"), AzureKeyCredential(env(f"MOSHPIT_EG_{upper}_KEY")))


def wait_for(subscription, count):
    deadline = time.monotonic() + DELIVERY_WAIT_S
    while time.monotonic() < deadline:
        mine = [(ct, e) for (s, ct, e) in Webhook.received if s == subscription.upper()]
        if len(mine) >= count:
            return mine
        time.sleep(0.05)
    return [(ct, e) for (s, ct, e) in Webhook.received if s == subscription.upper()]


def test_publish_eventgrid_schema(webhook_url):
    name = f"py-{uuid.uuid4().hex[:8]}"
    subscribe("py-grid", name, webhook_url, includedEventTypes=["Song.Added"])
    with publisher("py-grid") as client:
        client.send([
            EventGridEvent(subject="songs/1", event_type="Song.Added", data={"title": "one"}, data_version="1.0"),
            EventGridEvent(subject="songs/2", event_type="Song.Removed", data={"title": "two"}, data_version="1.0"),
            EventGridEvent(subject="songs/3", event_type="Song.Added", data={"title": "three"}, data_version="1.0"),
        ])
    got = wait_for(name, 2)
    assert sorted(e["data"]["title"] for _, e in got) == ["one", "three"]
    assert all(e["eventType"] == "Song.Added" and e["topic"].endswith("/topics/py-grid") for _, e in got)
    assert all(ct.startswith("application/json") for ct, _ in got)


def test_publish_cloudevents_schema(webhook_url):
    name = f"py-{uuid.uuid4().hex[:8]}"
    subscribe("py-cloud", name, webhook_url)
    with publisher("py-cloud") as client:
        client.send([CloudEvent(source="/moshpit/python", type="Song.Added", data={"title": "cloud"}, subject="songs/9")])
        client.send(CloudEvent(source="/moshpit/python", type="Song.Added", data=b"raw-bytes"))
    got = wait_for(name, 2)
    by_source = sorted(got, key=lambda pair: "data_base64" in pair[1])
    assert [e["specversion"] for _, e in by_source] == ["1.0", "1.0"]
    assert by_source[0][1]["data"] == {"title": "cloud"} and by_source[0][1]["subject"] == "songs/9"
    assert by_source[1][1]["data_base64"] == "cmF3LWJ5dGVz"
    assert all(ct.startswith("application/cloudevents") for ct, _ in got)


def test_wrong_key_is_unauthorized():
    endpoint = env("MOSHPIT_EG_PY_GRID_ENDPOINT")
    with EventGridPublisherClient(endpoint, AzureKeyCredential("bm90LXRoZS1rZXk=")) as client:
        with pytest.raises(HttpResponseError) as caught:
            client.send([EventGridEvent(subject="s", event_type="t", data={}, data_version="1")])
    assert caught.value.status_code == 401


def test_wrong_schema_is_rejected():
    with publisher("py-grid") as client:
        with pytest.raises(HttpResponseError) as caught:
            client.send([CloudEvent(source="/moshpit", type="t", data={})])
    assert caught.value.status_code == 400
