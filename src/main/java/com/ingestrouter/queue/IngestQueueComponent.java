package com.ingestrouter.queue;

import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code ingest-queue:<name>}: a pipeline's durable queue, the same in every route whatever the mode.
 * In brokers mode it is the RabbitMQ queue of that name, consumed in batches ({@code rabbitmq-batch},
 * acked after the route) and published with spring-rabbitmq (persistent, publisher confirms); embedded,
 * it is an in-JVM queue. A pipeline's YAML names the queue once and never says which mode it runs in.
 *
 * <p>Options (consumer side): {@code consumers}, {@code prefetch}, {@code batchSize}, {@code batchWaitMs}.
 */
public final class IngestQueueComponent extends DefaultComponent {
    private final boolean brokers;

    public IngestQueueComponent(boolean brokers) {
        this.brokers = brokers;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int consumers = getAndRemoveParameter(parameters, "consumers", Integer.class, 1);
        int batchSize = getAndRemoveParameter(parameters, "batchSize", Integer.class, 500);
        int prefetch = getAndRemoveParameter(parameters, "prefetch", Integer.class, Math.max(1000, 2 * batchSize));
        long batchWaitMs = getAndRemoveParameter(parameters, "batchWaitMs", Long.class, 20L);
        String queue = remaining;
        String consumer;
        String producer;
        if (brokers) {
            consumer = "rabbitmq-batch:" + queue + "?concurrentConsumers=" + consumers + "&batchSize=" + batchSize
                    + "&prefetchCount=" + Math.max(prefetch, batchSize) + "&batchWaitMs=" + batchWaitMs;
            producer = "spring-rabbitmq:default?routingKey=" + queue + "&queues=" + queue
                    + "&autoDeclareProducer=true&arg.queue.durable=true&confirm=enabled";
        } else {
            // One URI for both sides: seda sizes a queue by the first endpoint that names it.
            consumer = "seda:" + queue + "-queue?size=100000&blockWhenFull=true&concurrentConsumers=" + consumers;
            producer = consumer;
        }
        return new QueueEndpoint(uri, this, getCamelContext().getEndpoint(consumer), getCamelContext().getEndpoint(producer));
    }

    /** Delegates each side to the endpoint that does the work. */
    static final class QueueEndpoint extends DefaultEndpoint {
        private final Endpoint consumer;
        private final Endpoint producer;

        QueueEndpoint(String uri, IngestQueueComponent component, Endpoint consumer, Endpoint producer) {
            super(uri, component);
            this.consumer = consumer;
            this.producer = producer;
        }

        @Override
        public Producer createProducer() throws Exception {
            return producer.createProducer();
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            return consumer.createConsumer(processor);
        }
    }
}
