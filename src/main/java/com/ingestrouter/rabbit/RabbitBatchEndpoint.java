package com.ingestrouter.rabbit;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Consumes a queue in batches. It publishes only to a partitioned queue ({@link QueuePartitions}); publish
 * to a plain one with spring-rabbitmq (confirms, persistent delivery).
 *
 * <p>Options: {@code concurrentConsumers} (threads, each with its own channel and batch),
 * {@code batchSize} (most messages per exchange), {@code prefetchCount} (unacked messages the broker
 * sends each consumer ahead; at least batchSize), {@code batchWaitMs} (how long a consumer waits for
 * more messages before it hands over a partial batch), {@code partitions} (0: the queue alone; n: also
 * its n ordered partitions, one consumer each).
 */
public final class RabbitBatchEndpoint extends DefaultEndpoint {
    /**
     * The queue a record was consumed from, set where its routing key does not name it: on the default
     * exchange the routing key is the queue, a partition's records carry their id as routing key instead.
     * (Camel*: never published onward.)
     */
    public static final String CONSUMER_QUEUE = "CamelIngestConsumerQueue";

    private final String queue;
    private int concurrentConsumers = 1;
    private int batchSize = 100;
    private int prefetchCount = 250;
    private long batchWaitMs = 20;
    private int partitions;

    RabbitBatchEndpoint(String uri, RabbitBatchComponent component, String queue) {
        super(uri, component);
        this.queue = queue;
    }

    @Override
    public RabbitBatchComponent getComponent() {
        return (RabbitBatchComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RabbitBatchConsumer consumer = new RabbitBatchConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() throws Exception {
        if (partitions < 1) {
            throw new UnsupportedOperationException("rabbitmq-batch publishes only to partitions; publish to a queue with spring-rabbitmq");
        }
        QueuePartitions target = partitions();
        Endpoint publish = getCamelContext().getEndpoint("spring-rabbitmq:" + target.exchange()
                + "?autoDeclareProducer=false&confirm=enabled");
        return new PartitionPublisher(this, publish.createProducer(), target);
    }

    /** The queue's partitions, or null when it has none. */
    QueuePartitions partitions() {
        return partitions < 1 ? null : new QueuePartitions(queue, partitions);
    }

    public String getQueue() {
        return queue;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getPrefetchCount() {
        return prefetchCount;
    }

    public void setPrefetchCount(int prefetchCount) {
        this.prefetchCount = prefetchCount;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public long getBatchWaitMs() {
        return batchWaitMs;
    }

    public void setBatchWaitMs(long batchWaitMs) {
        this.batchWaitMs = batchWaitMs;
    }
}
