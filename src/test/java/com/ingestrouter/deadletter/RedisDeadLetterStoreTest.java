package com.ingestrouter.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.support.TcpProxy;
import com.ingestrouter.support.TestServices;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Against the real Redis: a Kafka record re-read after a rebalance gets one dead letter, not two; a new
 * record at a reused offset gets its own; entries are found and removed by id; a purge is atomic.
 */
class RedisDeadLetterStoreTest {
    private RedisDeadLetterStore store;

    @BeforeEach
    void open() {
        TestServices.clearDeadLetters();
        store = new RedisDeadLetterStore(RedisClient.create(URI.create(TestServices.redisUrl())), new ObjectMapper());
    }

    @AfterEach
    void close() {
        store.close();
        TestServices.clearDeadLetters();
    }

    /**
     * After an outage every pooled connection is dead. The first probe (readiness) and the first dead-letter
     * write after Redis is back must succeed, not fail once per stale pooled connection.
     */
    @Test
    void theFirstCallAfterAnOutageSucceeds() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);
                RedisDeadLetterStore viaProxy = new RedisDeadLetterStore(
                        RedisDeadLetterStore.client(TestServices.redisUrl(proxy)),
                        new ObjectMapper())) {
            // Concurrent callers leave several connections in the pool, as consumers and probes do.
            var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            for (int round = 0; round < 20; round++) {
                var calls = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                for (int i = 0; i < 8; i++) {
                    calls.add(pool.submit(viaProxy::ping));
                }
                for (var call : calls) {
                    call.get();
                }
            }
            pool.shutdown();
            proxy.cut();
            org.assertj.core.api.Assertions.assertThatThrownBy(viaProxy::ping).isInstanceOf(RuntimeException.class);
            proxy.restore();
            for (int i = 0; i < 8; i++) {
                viaProxy.ping();
            }
            assertThat(viaProxy.append(letter(kafka(0, 1, 1000L), "{\"bad\": true}"))).isTrue();
        }
    }

    @Test
    void theSameKafkaRecordIsStoredOnce() {
        assertThat(store.append(letter(kafka(0, 24568, 1000L), "{\"bad\": true}"))).isTrue();
        assertThat(store.append(letter(kafka(0, 24568, 1000L), "{\"bad\": true}"))).isFalse();
        assertThat(store.append(letter(kafka(1, 24568, 1000L), "{\"bad\": true}"))).isTrue();
        assertThat(store.append(letter(kafka(0, 24569, 1000L), "{\"bad\": true}"))).isTrue();

        assertThat(TestServices.deadLetters("events")).hasSize(3);
        assertThat(store.counts()).containsEntry("events", 3L);
        Set<String> markers = TestServices.redis().keys("dlq-seen:events:events/0/24568/*");
        assertThat(markers).hasSize(1);
        long ttl = TestServices.redis().ttl(markers.iterator().next());
        assertThat(ttl).isBetween(RedisDeadLetterStore.SEEN_TTL_SECONDS - 60, RedisDeadLetterStore.SEEN_TTL_SECONDS);
    }

    @Test
    void aNewRecordAtAnOffsetOfARecreatedTopicGetsItsOwnLetter() {
        assertThat(store.append(letter(kafka(0, 7, 1000L), "{\"bad\": 1}"))).isTrue();
        // The topic was deleted and created again: offset 7 is reused by another record.
        assertThat(store.append(letter(kafka(0, 7, 2000L), "{\"bad\": 2}"))).isTrue();
        // Same offset and a clock that did not move: the payload still tells them apart.
        assertThat(store.append(letter(kafka(0, 7, 2000L), "{\"bad\": 3}"))).isTrue();

        assertThat(TestServices.deadLetters("events")).hasSize(3);
    }

    /**
     * A queue message has no position: two publishes of the same bytes are two messages. Only a broker
     * redelivery of one already dead-lettered (the app died after the letter, before the ack) is the
     * same message, and is not stored twice (FaultInjectionTest's kill -9 found 42 letters for 40).
     */
    @Test
    void aQueueRedeliveryOfADeadLetteredMessageIsNotStoredTwiceButASecondPublishIs() {
        assertThat(store.append(letter(Map.of("queue", "payments", "redelivered", false)))).isTrue();
        assertThat(store.append(letter(Map.of("queue", "payments", "redelivered", false)))).as("published again").isTrue();
        assertThat(store.append(letter(Map.of("queue", "payments", "redelivered", true)))).as("redelivered").isFalse();
        assertThat(store.append(letter(Map.of("queue", "payments", "redelivered", true), "{\"other\": 1}")))
                .as("a redelivery never dead-lettered before").isTrue();
        assertThat(store.append(letter(Map.of("queue", "logs", "redelivered", true)))).as("another queue").isTrue();

        assertThat(TestServices.deadLetters("events")).hasSize(4);
    }

    @Test
    void removeFindsAnEntryByIdAndCountReadsOneList() {
        DeadLetter first = letter(Map.of("queue", "payments"));
        DeadLetter second = letter(Map.of("queue", "payments"));
        store.append(first);
        store.append(second);
        TestServices.seedDeadLetter("events", "by-hand", "not json: an entry someone pushed by hand");

        assertThat(store.count("events")).isEqualTo(3);
        assertThat(store.remove("events", second.id())).isTrue();
        assertThat(store.remove("events", second.id())).isFalse();
        assertThat(store.count("events")).isEqualTo(2);
        assertThat(store.list("events", 0, 1)).extracting(DeadLetter::id).containsExactly(first.id());
        assertThat(store.remove("events", "by-hand")).isTrue();
        assertThat(TestServices.deadLetters("events")).hasSize(1);
    }

    @Test
    void listPagesInArrivalOrderAndReadsEveryEntryOfALongStore() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            DeadLetter letter = letter(Map.of("queue", "payments"));
            ids.add(letter.id());
            store.append(letter);
        }
        assertThat(store.list("events", 0, Integer.MAX_VALUE - 1)).extracting(DeadLetter::id).containsExactlyElementsOf(ids);
        assertThat(store.list("events", 1_000, 50)).extracting(DeadLetter::id).containsExactlyElementsOf(ids.subList(1_000, 1_050));
        ids.forEach(id -> assertThat(store.remove("events", id)).isTrue());
        assertThat(store.count("events")).isZero();
        assertThat(TestServices.redis().exists("dlq-entries:events")).isFalse();
    }

    @Test
    void purgeNeverLosesAnEntryAppendedWhileItRuns() throws Exception {
        int appends = 3_000;
        CountDownLatch started = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            started.countDown();
            for (int i = 0; i < appends; i++) {
                store.append(letter(Map.of("queue", "payments")));
            }
        });
        writer.start();
        started.await();
        long purged = 0;
        while (writer.isAlive()) {
            purged += store.purge("events");
        }
        writer.join();
        // Every entry was either purged and counted, or is still there: none vanished uncounted.
        assertThat(purged + store.count("events")).isEqualTo(appends);
        assertThat(purged).isPositive();
        assertThat(TestServices.deadLetters("events")).hasSize((int) store.count("events"));
    }

    @Test
    void listsOfAnEarlierVersionAreMovedOverWithEveryEntry() throws Exception {
        ObjectMapper json = new ObjectMapper();
        DeadLetter first = letter(Map.of("queue", "payments"));
        DeadLetter second = letter(Map.of("queue", "payments"));
        TestServices.redis().rpush("dlq:events", first.toJson(json), "not json: pushed by hand", second.toJson(json));

        store.start();

        assertThat(store.count("events")).isEqualTo(3);
        assertThat(TestServices.deadLetters("events")).containsExactly(first.toJson(json), "not json: pushed by hand", second.toJson(json));
        assertThat(store.remove("events", second.id())).isTrue();
        assertThat(store.list("events", 0, 1)).extracting(DeadLetter::id).containsExactly(first.id());
    }

    private static Map<String, Object> kafka(int partition, long offset, long timestamp) {
        return Map.of("topic", "events", "partition", partition, "offset", offset, "timestamp", timestamp);
    }

    private static DeadLetter letter(Map<String, Object> source) {
        return letter(source, "{\"bad\": true}");
    }

    private static DeadLetter letter(Map<String, Object> source, String payload) {
        return new DeadLetter(UUID.randomUUID().toString(), "evt-1", "events", source, payload,
                Map.of("type", "InvalidMessageException", "message", "bad"), 1, "2026-11-25T05:00:00Z", "events.record");
    }
}
