package dev.moshpit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusRuleManagerClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import com.azure.messaging.servicebus.administration.models.CreateRuleOptions;
import com.azure.messaging.servicebus.administration.models.RuleProperties;
import com.azure.messaging.servicebus.administration.models.SqlRuleFilter;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.azure.messaging.servicebus.models.ServiceBusMessageState;
import com.azure.messaging.servicebus.models.SubQueue;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * azure-messaging-servicebus (proton-j via reactor) against moshpit's Service Bus emulator:
 * send/receive/complete, abandon and dead-letter, lock renewal and deferral, schedule/cancel with
 * peek, sessions with state,
 * and subscription rules through the rule manager. Entities java-* come from
 * test/conformance/config/service-bus.json; one builder, so every client shares one connection.
 */
class ServiceBusTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static ServiceBusClientBuilder builder;
    private static final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void connect() {
        String connection = System.getenv("MOSHPIT_SB_CONNECTION_STRING");
        if (connection == null || connection.isEmpty()) {
            throw new IllegalStateException("MOSHPIT_SB_CONNECTION_STRING is not set: run this suite through `npx vitest run test/conformance/java.test.ts`, which starts the emulators");
        }
        builder = new ServiceBusClientBuilder()
                .connectionString(connection)
                .retryOptions(new AmqpRetryOptions().setMaxRetries(1).setTryTimeout(Duration.ofSeconds(15)).setDelay(Duration.ofMillis(100)));
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable c : opened) c.close();
    }

    private static <T extends AutoCloseable> T keep(T client) {
        opened.add(client);
        return client;
    }

    private static ServiceBusSenderClient sender(String queue) {
        return keep(builder.sender().queueName(queue).buildClient());
    }

    private static ServiceBusReceiverClient receiver(String queue) {
        return keep(builder.receiver().queueName(queue).buildClient());
    }

    private static List<ServiceBusReceivedMessage> receive(ServiceBusReceiverClient r, int count) {
        List<ServiceBusReceivedMessage> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.multipliedBy(2).toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            r.receiveMessages(count - got.size(), WAIT).forEach(got::add);
        }
        return got;
    }

    private static List<String> bodies(List<ServiceBusReceivedMessage> messages) {
        return messages.stream().map(m -> m.getBody().toString()).sorted().collect(Collectors.toList());
    }

    @Test
    void sendReceiveComplete() {
        ServiceBusSenderClient s = sender("java-queue");
        ServiceBusMessageBatch batch = s.createMessageBatch();
        for (int i = 0; i < 3; i++) {
            assertTrue(batch.tryAddMessage(new ServiceBusMessage("j" + i).setSubject("s").setMessageId("id-" + i)));
        }
        s.sendMessages(batch);
        s.sendMessage(new ServiceBusMessage(BinaryData.fromString("single")).setContentType("text/plain"));
        ServiceBusReceiverClient r = receiver("java-queue");
        List<ServiceBusReceivedMessage> got = receive(r, 4);
        assertEquals(List.of("j0", "j1", "j2", "single"), bodies(got));
        for (ServiceBusReceivedMessage m : got) {
            assertTrue(m.getSequenceNumber() >= 1);
            assertEquals(0, m.getDeliveryCount());
            assertNotNull(m.getLockToken());
            r.complete(m);
        }
        assertEquals(null, r.peekMessage(1L), "queue is empty after completing");
    }

    @Test
    void abandonThenDeadLetter() {
        sender("java-settle").sendMessage(new ServiceBusMessage("poison"));
        ServiceBusReceiverClient r = receiver("java-settle");
        ServiceBusReceivedMessage first = receive(r, 1).get(0);
        r.abandon(first);
        ServiceBusReceivedMessage second = receive(r, 1).get(0);
        assertEquals(1, second.getDeliveryCount());
        r.deadLetter(second, new DeadLetterOptions().setDeadLetterReason("bad-input").setDeadLetterErrorDescription("cannot parse"));
        ServiceBusReceiverClient dlq = keep(builder.receiver().queueName("java-settle").subQueue(SubQueue.DEAD_LETTER_QUEUE).buildClient());
        ServiceBusReceivedMessage dead = receive(dlq, 1).get(0);
        assertEquals("poison", dead.getBody().toString());
        assertEquals("bad-input", dead.getDeadLetterReason());
        assertEquals("cannot parse", dead.getDeadLetterErrorDescription());
        dlq.complete(dead);
    }

    @Test
    void renewLockDeferAndReceiveDeferred() {
        sender("java-defer").sendMessage(new ServiceBusMessage("later"));
        ServiceBusReceiverClient r = receiver("java-defer");
        ServiceBusReceivedMessage m = receive(r, 1).get(0);
        OffsetDateTime before = m.getLockedUntil();
        OffsetDateTime renewed = r.renewMessageLock(m);
        assertTrue(!renewed.isBefore(before), "renewed lock ends no earlier");
        r.defer(m);
        ServiceBusReceivedMessage deferred = r.receiveDeferredMessage(m.getSequenceNumber());
        assertEquals("later", deferred.getBody().toString());
        assertEquals(ServiceBusMessageState.DEFERRED, deferred.getState());
        r.complete(deferred);
        assertEquals(null, r.peekMessage(1L));
    }

    @Test
    void scheduleCancelAndPeek() {
        ServiceBusSenderClient s = sender("java-schedule");
        long kept = s.scheduleMessage(new ServiceBusMessage("soon"), OffsetDateTime.now().plusSeconds(1));
        long cancelled = s.scheduleMessage(new ServiceBusMessage("never"), OffsetDateTime.now().plusHours(1));
        s.cancelScheduledMessage(cancelled);
        ServiceBusReceiverClient r = receiver("java-schedule");
        List<ServiceBusReceivedMessage> peeked = new ArrayList<>();
        r.peekMessages(10, 1L).forEach(peeked::add);
        assertEquals(1, peeked.size());
        assertEquals(kept, peeked.get(0).getSequenceNumber());
        assertEquals(ServiceBusMessageState.SCHEDULED, peeked.get(0).getState());
        ServiceBusReceivedMessage m = receive(r, 1).get(0);
        assertEquals("soon", m.getBody().toString());
        r.complete(m);
    }

    @Test
    void sessionsWithState() {
        ServiceBusSenderClient s = sender("java-sessions");
        s.sendMessages(List.of(new ServiceBusMessage("s0").setSessionId("j1"), new ServiceBusMessage("s1").setSessionId("j1")));
        ServiceBusSessionReceiverClient sessions = keep(builder.sessionReceiver().queueName("java-sessions").buildClient());
        ServiceBusReceiverClient r = keep(sessions.acceptSession("j1"));
        assertEquals("j1", r.getSessionId());
        List<ServiceBusReceivedMessage> got = receive(r, 2);
        assertEquals(List.of("s0", "s1"), bodies(got));
        for (ServiceBusReceivedMessage m : got) r.complete(m);
        r.setSessionState("step-2".getBytes());
        assertEquals("step-2", new String(r.getSessionState()));
        assertNotNull(r.renewSessionLock());
    }

    @Test
    void subscriptionRules() {
        ServiceBusRuleManagerClient rules = keep(builder.ruleManager().topicName("java-topic").subscriptionName("java-rules").buildClient());
        rules.deleteRule("$Default");
        rules.createRule("red", new CreateRuleOptions(new SqlRuleFilter("color = 'red'")));
        List<String> names = new ArrayList<>();
        for (RuleProperties p : rules.listRules()) names.add(p.getName());
        assertEquals(List.of("red"), names);
        ServiceBusSenderClient s = keep(builder.sender().topicName("java-topic").buildClient());
        ServiceBusMessage red = new ServiceBusMessage("red-one");
        red.getApplicationProperties().put("color", "red");
        ServiceBusMessage blue = new ServiceBusMessage("blue-one");
        blue.getApplicationProperties().put("color", "blue");
        s.sendMessages(List.of(blue, red));
        ServiceBusReceiverClient r = keep(builder.receiver().topicName("java-topic").subscriptionName("java-rules").buildClient());
        List<ServiceBusReceivedMessage> got = receive(r, 1);
        assertEquals(List.of("red-one"), bodies(got));
        r.complete(got.get(0));
        assertEquals(null, r.peekMessage(1L));
    }
}
