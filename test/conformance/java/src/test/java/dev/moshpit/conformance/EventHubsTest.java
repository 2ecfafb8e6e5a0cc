package dev.moshpit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.IterableStream;
import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventDataBatch;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubConsumerClient;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import com.azure.messaging.eventhubs.EventHubProperties;
import com.azure.messaging.eventhubs.PartitionProperties;
import com.azure.messaging.eventhubs.models.CreateBatchOptions;
import com.azure.messaging.eventhubs.models.EventPosition;
import com.azure.messaging.eventhubs.models.PartitionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * azure-messaging-eventhubs (proton-j) against moshpit's Event Hubs emulator: hub and partition
 * properties over $management, batches sent by partition key and to an explicit partition, and
 * receiving them back from two consumer groups. Hub java-send (2 partitions, consumer groups
 * $Default and java-group-1) comes from test/conformance/config/event-hubs.json; every test tags
 * its events so tests never read each other's.
 */
class EventHubsTest {
    private static final String HUB = "java-send";
    private static final Duration WAIT = Duration.ofSeconds(3);
    private static EventHubProducerClient producer;

    static String connectionString() {
        String value = System.getenv("MOSHPIT_EH_CONNECTION_STRING");
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("environment variable MOSHPIT_EH_CONNECTION_STRING is not set: run through test/conformance/java.test.ts");
        }
        return value;
    }

    static EventHubClientBuilder builder() {
        return new EventHubClientBuilder().connectionString(connectionString(), HUB);
    }

    @BeforeAll
    static void open() {
        producer = builder().buildProducerClient();
    }

    @AfterAll
    static void close() {
        if (producer != null) producer.close();
    }

    /** Events of partition `partitionId` whose body starts with `tag`, read from the beginning. */
    static List<String> readTagged(String group, String partitionId, String tag, int count) {
        List<String> got = new ArrayList<>();
        try (EventHubConsumerClient consumer = builder().consumerGroup(group).buildConsumerClient()) {
            IterableStream<PartitionEvent> events = consumer.receiveFromPartition(partitionId, 100, EventPosition.earliest(), WAIT);
            for (PartitionEvent event : events) {
                String body = event.getData().getBodyAsString();
                if (body.startsWith(tag)) got.add(body);
            }
        }
        assertEquals(count, got.size(), "events tagged " + tag + " in partition " + partitionId + " of " + group + ": " + got);
        return got;
    }

    @Test
    void hubAndPartitionProperties() {
        EventHubProperties hub = producer.getEventHubProperties();
        assertEquals(HUB, hub.getName());
        List<String> ids = new ArrayList<>();
        hub.getPartitionIds().forEach(ids::add);
        assertEquals(List.of("0", "1"), ids);
        PartitionProperties partition = producer.getPartitionProperties("1");
        assertEquals("1", partition.getId());
        assertEquals(HUB, partition.getEventHubName());
    }

    @Test
    void sendsToAnExplicitPartitionAndReceivesFromEachConsumerGroup() {
        String tag = "p-" + UUID.randomUUID();
        EventDataBatch batch = producer.createBatch(new CreateBatchOptions().setPartitionId("1"));
        for (int i = 0; i < 3; i++) assertTrue(batch.tryAdd(new EventData(tag + "-" + i)));
        producer.send(batch);
        long last = producer.getPartitionProperties("1").getLastEnqueuedSequenceNumber();
        assertTrue(last >= 2, "last enqueued sequence number " + last);
        List<String> expected = List.of(tag + "-0", tag + "-1", tag + "-2");
        assertEquals(expected, readTagged("$Default", "1", tag, 3));
        assertEquals(expected, readTagged("java-group-1", "1", tag, 3));
    }

    @Test
    void eventsOfOnePartitionKeyLandInOnePartitionInOrder() {
        String tag = "k-" + UUID.randomUUID();
        EventDataBatch batch = producer.createBatch(new CreateBatchOptions().setPartitionKey(tag));
        for (int i = 0; i < 4; i++) batch.tryAdd(new EventData(tag + "-" + i));
        producer.send(batch);
        List<String> all = new ArrayList<>();
        for (String id : List.of("0", "1")) {
            try (EventHubConsumerClient consumer = builder().consumerGroup("$Default").buildConsumerClient()) {
                for (PartitionEvent event : consumer.receiveFromPartition(id, 100, EventPosition.earliest(), WAIT)) {
                    String body = event.getData().getBodyAsString();
                    if (body.startsWith(tag)) all.add(id + ":" + body);
                }
            }
        }
        assertEquals(4, all.size(), all.toString());
        String partition = all.get(0).split(":")[0];
        for (int i = 0; i < 4; i++) assertEquals(partition + ":" + tag + "-" + i, all.get(i));
    }
}
