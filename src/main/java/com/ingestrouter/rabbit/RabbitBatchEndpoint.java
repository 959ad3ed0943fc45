package com.ingestrouter.rabbit;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A consuming-only endpoint: publish with spring-rabbitmq (confirms, persistent delivery).
 *
 * <p>Options: {@code concurrentConsumers} (threads, each with its own channel and batch),
 * {@code batchSize} (most messages per exchange), {@code prefetchCount} (unacked messages the broker
 * sends each consumer ahead; at least batchSize), {@code batchWaitMs} (how long a consumer waits for
 * more messages before it hands over a partial batch).
 */
public final class RabbitBatchEndpoint extends DefaultEndpoint {
    private final String queue;
    private int concurrentConsumers = 1;
    private int batchSize = 100;
    private int prefetchCount = 250;
    private long batchWaitMs = 20;

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
    public Producer createProducer() {
        throw new UnsupportedOperationException("rabbitmq-batch only consumes; publish with spring-rabbitmq");
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

    public long getBatchWaitMs() {
        return batchWaitMs;
    }

    public void setBatchWaitMs(long batchWaitMs) {
        this.batchWaitMs = batchWaitMs;
    }
}
