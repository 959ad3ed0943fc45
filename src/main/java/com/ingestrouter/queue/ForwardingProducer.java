package com.ingestrouter.queue;

import org.apache.camel.AsyncProcessor;
import org.apache.camel.Endpoint;
import org.apache.camel.Producer;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * A producer of a pipeline endpoint that does its own part around the producer of the endpoint doing
 * the work (refusing when an in-JVM queue is full, routing by id to a partition), started and stopped
 * with it.
 */
public abstract class ForwardingProducer extends DefaultAsyncProducer {
    private final Producer producer;
    /** The producer to hand each exchange to, asynchronously. */
    protected final AsyncProcessor delegate;

    protected ForwardingProducer(Endpoint endpoint, Producer producer) {
        super(endpoint);
        this.producer = producer;
        this.delegate = AsyncProcessorConverterHelper.convert(producer);
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(producer);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(producer);
    }
}
