package com.ingestrouter.rabbit;

import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.queue.ForwardingProducer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * Publishes to a partitioned queue's consistent-hash exchange with the record's id (the
 * {@code eventId} property the validate block sets, or a replayed letter's) as routing key, so every
 * copy of an id goes to the same partition. Declares the partitions first: an exchange without its
 * queues would drop what it is sent.
 */
final class PartitionPublisher extends ForwardingProducer {
    private final QueuePartitions partitions;

    PartitionPublisher(RabbitBatchEndpoint endpoint, Producer producer, QueuePartitions partitions) {
        super(endpoint, producer);
        this.partitions = partitions;
    }

    @Override
    public RabbitBatchEndpoint getEndpoint() {
        return (RabbitBatchEndpoint) super.getEndpoint();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        // A record without an id (a replayed letter of unparseable bytes) hashes the empty key: one fixed
        // partition, where it is dead-lettered again like any other copy of it.
        String key = exchange.getProperty(MessageKeys.EVENT_ID, "", String.class);
        exchange.getMessage().setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, key);
        return delegate.process(exchange, callback);
    }

    @Override
    protected void doStart() throws Exception {
        partitions.declare(getEndpoint().getComponent().connectionFactory());
        super.doStart();
    }
}
