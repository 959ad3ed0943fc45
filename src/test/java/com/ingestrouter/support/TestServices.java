package com.ingestrouter.support;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import redis.clients.jedis.RedisClient;

/**
 * The real services of this machine (RabbitMQ, Redis), with names unique to the run so two checkouts
 * testing at once do not meet.
 */
public final class TestServices {
    /** Redis logical database used by the suites; the app writes its dead letters there. */
    private static final int REDIS_DB = Integer.parseInt(System.getenv().getOrDefault("INGEST_IT_REDIS_DB", "5"));
    private static final RedisClient REDIS = RedisClient.create(URI.create(redisUrl()));
    private static CachingConnectionFactory rabbit;

    private TestServices() {
    }

    public static String redisUrl() {
        return "redis://127.0.0.1:6379/" + REDIS_DB;
    }

    /** The same Redis database, reached through a proxy that a test can cut. */
    public static String redisUrl(TcpProxy proxy) {
        return "redis://127.0.0.1:" + proxy.port() + "/" + REDIS_DB;
    }

    public static String rabbitUrl() {
        return "amqp://guest:guest@127.0.0.1:5672/";
    }

    public static RedisClient redis() {
        return REDIS;
    }

    /**
     * The dead letters of a pipeline as stored in Redis (envelope JSON), oldest first, read straight
     * from the store's layout: ids in the sorted set dlq:<pipeline>, envelopes in the hash
     * dlq-entries:<pipeline>.
     */
    public static List<String> deadLetters(String pipeline) {
        List<String> ids = REDIS.zrange("dlq:" + pipeline, 0, -1);
        return ids.isEmpty() ? List.of() : REDIS.hmget("dlq-entries:" + pipeline, ids.toArray(String[]::new));
    }

    /** Puts an entry into the store's layout by hand, as an operator or an older version might have. */
    public static void seedDeadLetter(String pipeline, String id, String envelope) {
        REDIS.hset("dlq-entries:" + pipeline, id, envelope);
        REDIS.zadd("dlq:" + pipeline, REDIS.incr("dlq-seq:" + pipeline), id);
    }

    public static void clearDeadLetters() {
        List<String> keys = REDIS.keys("dlq:*").stream().collect(Collectors.toList());
        keys.addAll(REDIS.keys("dlq-entries:*"));
        keys.addAll(REDIS.keys("dlq-seq:*"));
        keys.addAll(REDIS.keys("dlq-seen:*"));
        if (!keys.isEmpty()) {
            REDIS.del(keys.toArray(String[]::new));
        }
    }

    public static synchronized CachingConnectionFactory rabbit() {
        if (rabbit == null) {
            rabbit = new CachingConnectionFactory(URI.create("amqp://guest:guest@127.0.0.1:5672"));
        }
        return rabbit;
    }

    /** A durable queue with a name of its own, empty. */
    public static String freshQueue(String prefix) {
        String name = prefix + "-it-" + UUID.randomUUID().toString().substring(0, 8);
        new RabbitAdmin(rabbit()).declareQueue(QueueBuilder.durable(name).build());
        return name;
    }

    public static void deleteQueue(String name) {
        new RabbitAdmin(rabbit()).deleteQueue(name);
    }

    /** Publishes raw bytes, persistent, as another producer would (no validation on the way). */
    public static void publishRaw(String queue, byte[] body) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryMode(org.springframework.amqp.core.MessageDeliveryMode.PERSISTENT);
        new RabbitTemplate(rabbit()).send("", queue, new org.springframework.amqp.core.Message(body, properties));
    }

    /** Publishes raw bytes with an AMQP message-id, persistent. */
    public static void publishRaw(String queue, byte[] body, String messageId) {
        publishRaw(queue, body, messageId, java.util.Map.of());
    }

    /**
     * Publishes raw bytes, persistent, with an AMQP message-id (or none: null) and headers, as a careless
     * or hostile producer would.
     */
    public static void publishRaw(String queue, byte[] body, String messageId, java.util.Map<String, ?> headers) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryMode(org.springframework.amqp.core.MessageDeliveryMode.PERSISTENT);
        properties.setMessageId(messageId);
        headers.forEach(properties::setHeader);
        new RabbitTemplate(rabbit()).send("", queue, new org.springframework.amqp.core.Message(body, properties));
    }

    /** Ready + unacked messages in a queue. */
    public static long queueDepth(String queue) {
        var info = new RabbitAdmin(rabbit()).getQueueInfo(queue);
        return info == null ? 0 : info.getMessageCount();
    }
}
