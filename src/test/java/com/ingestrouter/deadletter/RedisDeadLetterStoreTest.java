package com.ingestrouter.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.support.TestServices;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Against the real Redis: a Kafka record re-read after a rebalance gets one dead letter, not two. */
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

    @Test
    void theSameKafkaPositionIsStoredOnce() {
        assertThat(store.append(letter(Map.of("topic", "events", "partition", 0, "offset", 24568)))).isTrue();
        assertThat(store.append(letter(Map.of("topic", "events", "partition", 0, "offset", 24568)))).isFalse();
        assertThat(store.append(letter(Map.of("topic", "events", "partition", 1, "offset", 24568)))).isTrue();
        assertThat(store.append(letter(Map.of("topic", "events", "partition", 0, "offset", 24569)))).isTrue();

        assertThat(TestServices.deadLetters("events")).hasSize(3);
        assertThat(store.counts()).containsEntry("events", 3L);
        long ttl = TestServices.redis().ttl("dlq-seen:events:events/0/24568");
        assertThat(ttl).isBetween(RedisDeadLetterStore.SEEN_TTL_SECONDS - 60, RedisDeadLetterStore.SEEN_TTL_SECONDS);
    }

    @Test
    void queueMessagesHaveNoPositionAndAreAlwaysStored() {
        assertThat(store.append(letter(Map.of("queue", "payments", "redelivered", false)))).isTrue();
        assertThat(store.append(letter(Map.of("queue", "payments", "redelivered", true)))).isTrue();

        assertThat(TestServices.deadLetters("events")).hasSize(2);
    }

    @Test
    void removeFindsAnEntryByIdAndCountReadsOneList() {
        DeadLetter first = letter(Map.of("queue", "payments"));
        DeadLetter second = letter(Map.of("queue", "payments"));
        store.append(first);
        store.append(second);
        TestServices.redis().rpush("dlq:events", "not json: an entry someone pushed by hand");

        assertThat(store.count("events")).isEqualTo(3);
        assertThat(store.remove("events", second.id())).isTrue();
        assertThat(store.remove("events", second.id())).isFalse();
        assertThat(store.count("events")).isEqualTo(2);
        assertThat(store.list("events", 0, 1)).extracting(DeadLetter::id).containsExactly(first.id());
    }

    private static DeadLetter letter(Map<String, Object> source) {
        return new DeadLetter(UUID.randomUUID().toString(), "evt-1", "events", source, "{\"bad\": true}",
                Map.of("type", "InvalidMessageException", "message", "bad"), 1, "2026-11-25T05:00:00Z", "events.record");
    }
}
