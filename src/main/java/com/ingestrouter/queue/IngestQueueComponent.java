package com.ingestrouter.queue;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code ingest-queue:<name>}: a pipeline's durable queue, the same in every route whatever the mode.
 * In brokers mode it is the RabbitMQ queue of that name, consumed in batches ({@code rabbitmq-batch},
 * acked after the route) and published with spring-rabbitmq (persistent, publisher confirms); embedded,
 * it is an in-JVM queue. A pipeline's YAML names the queue once and never says which mode it runs in.
 *
 * <p>As a route's {@code from} it is the source block of a configured pipeline: {@code pipeline} names
 * the pipeline for the blocks that follow (dead letters go to {@code dlq:<pipeline>}, metrics carry
 * {@code pipeline=<pipeline>}, {@code /dlq/<pipeline>/replay} publishes back to this queue), and a batch
 * is acked only after the route returned (after its SQL commit and its dead letters), requeued whole if
 * the route fails. It is a component rather than a source kamelet so that stopping the pipeline's route
 * (Hawtio, {@code camel stop}) stops the consumer itself.
 */
public final class IngestQueueComponent extends DefaultComponent {
    private final boolean brokers;
    private final int capacity;

    /** @param capacity messages an in-JVM queue holds (embedded) before publishers are refused ({@link QueueFull}) */
    public IngestQueueComponent(boolean brokers, int capacity) {
        this.brokers = brokers;
        this.capacity = capacity;
    }

    /**
     * The in-JVM queue (seda) of an embedded source, bounded: a full queue refuses a publish at once
     * rather than blocking the request thread until there is room.
     */
    static String inJvmQueue(String name, int capacity, int consumers) {
        return "seda:" + name + "?size=" + capacity + "&blockWhenFull=false&concurrentConsumers=" + consumers;
    }

    /** The options, with their meaning (also what PipelineFiles checks a route file's use against). */
    public static final Map<String, String> OPTIONS = Map.of(
            "pipeline", "the pipeline's name (lower-case letters, digits, '-', '_'); required to consume",
            "type", "the type label of metrics and log lines (default: the pipeline's name)",
            "consumers", "consumer threads, each with its own channel and batch; one keeps the queue's order (default 1)",
            "batchSize", "most messages per batch: one SQL transaction, one ack (default 500)",
            "prefetch", "unacked messages the broker sends each consumer ahead, at least batchSize (default 1000)",
            "batchWaitMs", "how long a consumer waits for a batch to fill before it hands over a partial one (default 20)",
            "partitions", "0 (default): the queue alone; n: publish by record id over n ordered queues, one active consumer each"
                    + " (RabbitMQ's consistent-hash exchange and single active consumer; embedded, one queue keeps the order anyway)");

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String pipeline = getAndRemoveParameter(parameters, "pipeline", String.class);
        String type = getAndRemoveParameter(parameters, "type", String.class);
        int consumers = getAndRemoveParameter(parameters, "consumers", Integer.class, 1);
        int batchSize = getAndRemoveParameter(parameters, "batchSize", Integer.class, 500);
        int prefetch = getAndRemoveParameter(parameters, "prefetch", Integer.class, Math.max(1000, 2 * batchSize));
        long batchWaitMs = getAndRemoveParameter(parameters, "batchWaitMs", Long.class, 20L);
        int partitions = getAndRemoveParameter(parameters, "partitions", Integer.class, 0);
        String queue = remaining;
        String consumer;
        String producer;
        if (brokers) {
            consumer = "rabbitmq-batch:" + queue + "?concurrentConsumers=" + consumers + "&batchSize=" + batchSize
                    + "&prefetchCount=" + Math.max(prefetch, batchSize) + "&batchWaitMs=" + batchWaitMs
                    + "&partitions=" + partitions;
            producer = partitions > 0 ? "rabbitmq-batch:" + queue + "?partitions=" + partitions
                    : "spring-rabbitmq:default?routingKey=" + queue + "&queues=" + queue
                            + "&autoDeclareProducer=true&arg.queue.durable=true&confirm=enabled";
        } else {
            // One URI for both sides: seda sizes a queue by the first endpoint that names it.
            consumer = inJvmQueue(queue + "-queue", capacity, consumers);
            producer = consumer;
        }
        return new PipelineEndpoint(uri, this, getCamelContext().getEndpoint(consumer), getCamelContext().getEndpoint(producer),
                pipeline, type);
    }
}
