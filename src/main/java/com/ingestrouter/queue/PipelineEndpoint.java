package com.ingestrouter.queue;

import com.ingestrouter.batch.BatchRecords;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.sink.PipelineRecords;
import java.util.List;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * The endpoint of a source block ({@code ingest-queue:}, {@code ingest-topic:}): each side delegates to
 * the endpoint that does the work for the mode, and every exchange consumed is marked with its
 * pipeline, so the blocks that follow (validate, SQL sink) and the dead-letter writer know it.
 */
public final class PipelineEndpoint extends DefaultEndpoint {
    private final Endpoint consumer;
    private final Endpoint producer;
    private final String pipeline;
    private final String type;
    private final boolean commitOffsets;

    PipelineEndpoint(String uri, Component component, Endpoint consumer, Endpoint producer, String pipeline, String type) {
        this(uri, component, consumer, producer, pipeline, type, false);
    }

    /** @param commitOffsets a Kafka source: commit each batch's offsets once the route has returned without error */
    PipelineEndpoint(String uri, Component component, Endpoint consumer, Endpoint producer, String pipeline, String type,
            boolean commitOffsets) {
        super(uri, component);
        this.commitOffsets = commitOffsets;
        this.consumer = consumer;
        this.producer = producer;
        this.pipeline = pipeline;
        this.type = type == null || type.isBlank() ? pipeline : type;
    }

    /** The endpoint that consumes for the mode (a KafkaEndpoint, a RabbitMQ batch endpoint, seda). */
    public Endpoint consumerEndpoint() {
        return consumer;
    }

    @Override
    public Producer createProducer() throws Exception {
        Producer delegate = producer.createProducer();
        if (producer instanceof SedaEndpoint seda && !seda.isBlockWhenFull()) {
            return new RefusingWhenFull(this, delegate, seda);
        }
        return delegate;
    }

    /**
     * An in-JVM queue refuses when full (seda throws IllegalStateException): the publisher gets
     * {@link QueueFull}, which HTTP answers with 503 + Retry-After, instead of blocking a request thread
     * without bound while the database is slow.
     */
    private static final class RefusingWhenFull extends ForwardingProducer {
        private final SedaEndpoint seda;

        RefusingWhenFull(Endpoint endpoint, Producer producer, SedaEndpoint seda) {
            super(endpoint, producer);
            this.seda = seda;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            try {
                return delegate.process(exchange, callback);
            } catch (IllegalStateException full) {
                // seda throws it out of process() (AbstractQueue.add) rather than setting it on the exchange.
                exchange.setException(new QueueFull(seda.getEndpointBaseUri(), seda.getSize(), full));
                callback.done(true);
                return true;
            }
        }
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (pipeline == null || pipeline.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": a consuming source needs pipeline=<name>");
        }
        return consumer.createConsumer(new DelegateAsyncProcessor(processor) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                exchange.setProperty(MessageKeys.PIPELINE, pipeline);
                exchange.setProperty(MessageKeys.TYPE, type);
                exchange.setProperty(PipelineRecords.CONSUMING, true);
                exchange.setProperty(PipelineRecords.ROUTE, exchange.getFromRouteId());
                if (!commitOffsets) {
                    return super.process(exchange, callback);
                }
                return super.process(exchange, doneSync -> {
                    if (exchange.getException() == null) {
                        try {
                            // The records as the blocks saw them; the body may no longer be the batch.
                            List<Exchange> records = PipelineRecords.records(exchange);
                            KafkaOffsets.commit(records.isEmpty() ? BatchRecords.of(exchange) : records);
                        } catch (RuntimeException e) {
                            // Not committed: the consumer re-reads from the last commit (breakOnFirstError).
                            exchange.setException(e);
                        }
                    }
                    callback.done(doneSync);
                });
            }
        });
    }
}
