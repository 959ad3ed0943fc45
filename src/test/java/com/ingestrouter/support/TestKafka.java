package com.ingestrouter.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node KRaft broker in the test JVM (spring-kafka-test, Kafka jars pinned to the client
 * version camel-kafka uses), started once per test JVM and shared by the suites; each suite uses a topic
 * and consumer group of its own.
 */
public final class TestKafka {
    private static EmbeddedKafkaKraftBroker broker;
    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> producer;

    private TestKafka() {
    }

    public static synchronized String brokers() {
        if (broker == null) {
            broker = new EmbeddedKafkaKraftBroker(1, 1);
            broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
            broker.brokerProperty("group.min.session.timeout.ms", "1000");
            broker.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> broker.destroy()));
        }
        return broker.getBrokersAsString();
    }

    public static String freshTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
            admin = Admin.create(props);
        }
        return admin;
    }

    private static synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = producer(brokers());
        }
        return producer;
    }

    /**
     * The tests' producer for a broker: acks=all, idempotent, one request in flight. A topic the test has
     * just created may answer its first batches NOT_LEADER_OR_FOLLOWER (more so on a loaded machine); with
     * several batches in flight the later ones are appended meanwhile, the retried first one is then out of
     * order (OUT_OF_ORDER_SEQUENCE_NUMBER, retried until the delivery timeout) and the send hangs. One
     * request in flight retries in order.
     */
    static KafkaProducer<byte[], byte[]> producer(String brokers) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes raw bytes straight to the topic, as another producer would (no validation on the way). */
    public static RecordMetadata send(String topic, String key, byte[] value) {
        try {
            return producer().send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(), value))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Same, with record headers (UTF-8 values), as a careless or hostile producer would send them. */
    public static RecordMetadata send(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key == null ? null : key.getBytes(), value);
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return producer().send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends many records and waits for all acknowledgements. */
    public static void sendAll(String topic, List<Map.Entry<String, byte[]>> records) {
        var futures = records.stream()
                .map(r -> producer().send(new ProducerRecord<>(topic, r.getKey().getBytes(), r.getValue()))).toList();
        producer().flush();
        for (var f : futures) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The partition the default partitioner picks for a key. */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes())) % partitions;
    }

    /** Sum of the end offsets of all partitions: how many records were ever written to the topic. */
    public static long records(String topic) {
        try {
            var description = admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin().listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys of the topic's records whose value contains {@code text}, in partition/offset order. */
    public static List<String> keysOf(String topic, String text) {
        Properties p = new Properties();
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(p,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> keys = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null && r.value().contains(text)) {
                        keys.add(r.key());
                    }
                });
            }
            return keys;
        }
    }

    /** Moves an (inactive) consumer group back to the start of every partition of the topic. */
    public static void resetToEarliest(String group, String topic) {
        try {
            var description = admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = new HashMap<>();
            description.partitions().forEach(p -> offsets.put(new TopicPartition(topic, p.partition()),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)));
            admin().alterConsumerGroupOffsets(group, offsets).all().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Committed offsets of the group, summed over the topic's partitions. */
    public static long committed(String group) {
        try {
            return admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when the group is stable with this many members (no rebalance in progress). */
    public static boolean stable(String group, int members) {
        try {
            var description = admin().describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            return description.state() == org.apache.kafka.common.ConsumerGroupState.STABLE
                    && description.members().size() == members;
        } catch (Exception e) {
            return false;
        }
    }

    public static Duration sessionTimeout() {
        return Duration.ofSeconds(6);
    }
}
