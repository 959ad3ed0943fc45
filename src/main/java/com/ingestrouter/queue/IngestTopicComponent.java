package com.ingestrouter.queue;

import java.util.Map;
import java.util.function.ObjIntConsumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code ingest-topic:<name>}: a pipeline's Kafka topic, the same in every route whatever the mode. In
 * brokers mode the consumer takes batches ({@code batching=true}) and commits a batch's offsets only
 * after the route returned (after its SQL commit and its dead letters); an error left on the batch
 * makes it re-read from the last committed offset (breakOnFirstError). Publishing waits for acks=all
 * from an idempotent producer. Embedded, it is an in-JVM queue. The topic is created at start-up when
 * missing. As a route's {@code from}, {@code pipeline} names the pipeline (see {@link IngestQueueComponent}).
 */
public final class IngestTopicComponent extends DefaultComponent {
    /** A consumer that waits out a long database outage inside one batch is not a dead one. */
    static final long MAX_POLL_INTERVAL_MS = Integer.MAX_VALUE;

    /** The options, with their meaning (also what PipelineFiles checks a route file's use against). */
    public static final Map<String, String> OPTIONS = Map.of(
            "pipeline", "the pipeline's name (lower-case letters, digits, '-', '_'); required to consume",
            "type", "the type label of metrics and log lines (default: the pipeline's name)",
            "group", "the consumer group (default ingest-router-<pipeline>)",
            "consumers", "consumer threads; each owns some partitions, so more than partitions is pointless (default 1)",
            "maxPollRecords", "most records per batch: one SQL transaction, one offset commit (default 500)",
            "pollTimeoutMs", "how long a poll waits for records before a partial batch is handed over (default 500)",
            "partitions", "partitions when the topic is created at start-up (default 3)",
            "sessionTimeoutMs", "after a crash, the group moves a dead consumer's partitions after this long (default 45000)",
            "maxPollIntervalMs", "longest a consumer may work on one batch before Kafka evicts it (default: unbounded)");

    private final String brokers;
    private final ObjIntConsumer<String> ensureTopic;
    /** Messages the in-JVM stand-in for the topic holds (embedded) before publishers are refused. */
    private final int capacity;

    /**
     * @param brokers     bootstrap servers in brokers mode; null when embedded
     * @param ensureTopic creates a topic with this many partitions once Kafka is up (routes are created
     *                    while the start-up waits still run, so it must not call Kafka itself)
     */
    public IngestTopicComponent(String brokers, ObjIntConsumer<String> ensureTopic, int capacity) {
        this.brokers = brokers;
        this.capacity = capacity;
        this.ensureTopic = ensureTopic;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String pipeline = getAndRemoveParameter(parameters, "pipeline", String.class);
        String type = getAndRemoveParameter(parameters, "type", String.class);
        String group = getAndRemoveParameter(parameters, "group", String.class, "ingest-router-" + pipeline);
        int consumers = getAndRemoveParameter(parameters, "consumers", Integer.class, 1);
        int maxPollRecords = getAndRemoveParameter(parameters, "maxPollRecords", Integer.class, 500);
        long pollTimeoutMs = getAndRemoveParameter(parameters, "pollTimeoutMs", Long.class, 500L);
        int partitions = getAndRemoveParameter(parameters, "partitions", Integer.class, 3);
        long sessionTimeoutMs = getAndRemoveParameter(parameters, "sessionTimeoutMs", Long.class, 45_000L);
        long maxPollIntervalMs = getAndRemoveParameter(parameters, "maxPollIntervalMs", Long.class, MAX_POLL_INTERVAL_MS);
        String topic = remaining;
        String consumer;
        String producer;
        if (brokers != null) {
            ensureTopic.accept(topic, partitions);
            consumer = "kafka:" + topic + "?brokers=" + brokers + "&groupId=" + group + "&consumersCount=" + consumers
                    + "&batching=true&maxPollRecords=" + maxPollRecords + "&pollTimeoutMs=" + pollTimeoutMs
                    + "&autoCommitEnable=false&allowManualCommit=true"
                    + "&kafkaManualCommitFactory=#class:org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory"
                    + "&breakOnFirstError=true&autoOffsetReset=earliest&sessionTimeoutMs=" + sessionTimeoutMs
                    + "&maxPollIntervalMs=" + maxPollIntervalMs
                    + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer";
            producer = "kafka:" + topic + "?brokers=" + brokers + "&requestRequiredAcks=all&enableIdempotence=true";
        } else {
            consumer = IngestQueueComponent.inJvmQueue(topic + "-topic", capacity, consumers);
            producer = consumer;
        }
        return new PipelineEndpoint(uri, this, getCamelContext().getEndpoint(consumer), getCamelContext().getEndpoint(producer),
                pipeline, type, brokers != null);
    }
}
