package com.ingestrouter.rabbit;

import com.ingestrouter.batch.LaterAck;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * One exchange per batch; its body is the list of record exchanges, as camel-kafka's batching consumer
 * hands them over, so a route handles both the same way. The batch is acked when the route returns
 * without an exception (one multiple-ack), and requeued otherwise: a message is acked only after its
 * batch's transaction committed or it was dead-lettered.
 *
 * <p>Each record can also be held back ({@link LaterAck}): the dead-letter writer does so when the
 * dead-letter store is down, so the rest of the batch is acked and the queue keeps flowing, and acks it
 * once its letter is stored. While a channel has held records its batches are acked tag by tag, since a
 * multiple-ack would settle the held ones too; the broker's prefetch bounds how many are held.
 *
 * <p>Each record carries the headers camel-spring-rabbitmq sets (routing key, redelivered flag,
 * message id), so the steps after it read them under the same names, and the message's own headers
 * through the same filter camel-spring-rabbitmq applies.
 */
final class RabbitBatchConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitBatchConsumer.class);
    /** camel-spring-rabbitmq's own filter: a publisher cannot set Camel* headers (redelivery counters, URIs). */
    private static final HeaderFilterStrategy HEADERS = new SpringRabbitMQHeaderFilterStrategy();

    private final List<SimpleMessageListenerContainer> containers = new ArrayList<>();
    /** Records held back per channel (a consumer thread's own); weak, as channels come and go with reconnects. */
    private final Map<Channel, AtomicInteger> held = Collections.synchronizedMap(new WeakHashMap<>());

    RabbitBatchConsumer(RabbitBatchEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public RabbitBatchEndpoint getEndpoint() {
        return (RabbitBatchEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        RabbitBatchEndpoint endpoint = getEndpoint();
        ConnectionFactory connections = endpoint.getComponent().connectionFactory();
        new RabbitAdmin(connections).declareQueue(new Queue(endpoint.getQueue(), true));
        // The queue itself is always consumed: what is published to it straight (producers that do not
        // know the partitions, an earlier release) is stored too, in its own order.
        containers.add(container(endpoint.getQueue(), endpoint.getConcurrentConsumers()));
        QueuePartitions partitions = endpoint.partitions();
        if (partitions != null) {
            partitions.declare(connections);
            List<String> queues = new ArrayList<>(partitions.queues());
            queues.addAll(partitions.unbindStrays(connections));
            // One consumer per partition, in this instance and (single active consumer) in all of them.
            for (String queue : queues) {
                containers.add(container(queue, 1));
            }
        }
        for (SimpleMessageListenerContainer container : containers) {
            container.start();
        }
    }

    private SimpleMessageListenerContainer container(String queue, int consumers) {
        RabbitBatchEndpoint endpoint = getEndpoint();
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(endpoint.getComponent().connectionFactory());
        container.setBeanName("rabbitmq-batch-" + queue);
        container.setQueueNames(queue);
        container.setConcurrentConsumers(consumers);
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(endpoint.getBatchSize());
        container.setPrefetchCount(Math.max(endpoint.getPrefetchCount(), endpoint.getBatchSize()));
        container.setReceiveTimeout(endpoint.getBatchWaitMs());
        container.setBatchReceiveTimeout(endpoint.getBatchWaitMs());
        // Acked here, not by the container: a held record must stay out of its batch's ack.
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setDefaultRequeueRejected(true);
        // The default handler treats some exceptions as fatal; here every failure requeues (onBatch
        // nacks), and the route's own error handling has logged the cause.
        container.setErrorHandler(e -> LOG.warn("Batch from {} requeued: {}", queue, e.getMessage()));
        container.setMessageListener((ChannelAwareBatchMessageListener) this::onBatch);
        container.afterPropertiesSet();
        return container;
    }

    @Override
    protected void doStop() throws Exception {
        for (SimpleMessageListenerContainer container : containers) {
            container.stop();
            container.destroy();
        }
        containers.clear();
        super.doStop();
    }

    private void onBatch(List<org.springframework.amqp.core.Message> messages, Channel channel) {
        // Tags belong to the broker channel itself; the cached proxy would open a new one after a close,
        // where an old tag is unknown and closes that channel in turn.
        Channel target = channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
        AtomicInteger heldOnChannel = held.computeIfAbsent(target, c -> new AtomicInteger());
        Exchange batch = createExchange(false);
        List<Delivery> deliveries = new ArrayList<>(messages.size());
        boolean processed = false;
        try {
            List<Exchange> records = new ArrayList<>(messages.size());
            for (org.springframework.amqp.core.Message message : messages) {
                Exchange record = record(message);
                Delivery delivery = new Delivery(target, message.getMessageProperties().getConsumerQueue(),
                        message.getMessageProperties().getDeliveryTag(), heldOnChannel);
                record.setProperty(LaterAck.PROPERTY, delivery);
                deliveries.add(delivery);
                records.add(record);
            }
            batch.getMessage().setBody(records);
            // The batch's channel, as camel-spring-rabbitmq exposes it (an exchange property).
            batch.setProperty(SpringRabbitMQConstants.CHANNEL, channel);
            getProcessor().process(batch);
            if (batch.getException() != null) {
                throw new BatchNotProcessed(batch.getException());
            }
            processed = true;
        } catch (BatchNotProcessed e) {
            throw e;
        } catch (Exception e) {
            throw new BatchNotProcessed(e);
        } finally {
            settle(target, deliveries, heldOnChannel, processed);
            releaseExchange(batch, false);
        }
    }

    /** Acks (or requeues) every delivery of the batch that was not held back. */
    private void settle(Channel channel, List<Delivery> deliveries, AtomicInteger heldOnChannel, boolean ack) {
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            // Nothing held on this channel (held ones are counted down only after their ack went out):
            // one multiple-ack settles exactly this batch and what was acked before it.
            if (heldOnChannel.get() == 0) {
                long last = deliveries.get(deliveries.size() - 1).tag;
                if (ack) {
                    channel.basicAck(last, true);
                } else {
                    channel.basicNack(last, true, true);
                }
                return;
            }
            for (Delivery delivery : deliveries) {
                if (!delivery.held) {
                    if (ack) {
                        channel.basicAck(delivery.tag, false);
                    } else {
                        channel.basicNack(delivery.tag, false, true);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The channel is gone: the broker requeues every unacked delivery of it, and the keyed
            // writes absorb the redelivery.
            LOG.warn("Batch from {} not {} ({}); the broker redelivers it", deliveries.get(0).queue,
                    ack ? "acked" : "requeued", e.getMessage());
        }
    }

    /** One delivery of a batch, which the dead-letter writer may hold back and ack on its own. */
    private final class Delivery implements LaterAck {
        private final Channel channel;
        /** The queue it came from: the endpoint's, or one of its partitions. */
        private final String queue;
        private final long tag;
        private final AtomicInteger heldOnChannel;
        private volatile boolean held;

        Delivery(Channel channel, String queue, long tag, AtomicInteger heldOnChannel) {
            this.channel = channel;
            this.queue = queue;
            this.tag = tag;
            this.heldOnChannel = heldOnChannel;
        }

        @Override
        public void hold() {
            if (!held) {
                held = true;
                heldOnChannel.incrementAndGet();
            }
        }

        @Override
        public void ack() {
            try {
                if (channel.isOpen()) {
                    channel.basicAck(tag, false);
                } else {
                    LOG.info("Held message {} of {} not acked: its channel closed, the broker redelivers it", tag,
                            queue);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Held message {} of {} not acked ({}); the broker redelivers it", tag, queue,
                        e.getMessage());
            } finally {
                heldOnChannel.decrementAndGet();
            }
        }
    }

    private Exchange record(org.springframework.amqp.core.Message message) {
        Exchange record = getEndpoint().createExchange();
        MessageProperties properties = message.getMessageProperties();
        Message in = record.getMessage();
        for (Map.Entry<String, Object> header : properties.getHeaders().entrySet()) {
            if (!HEADERS.applyFilterToExternalHeaders(header.getKey(), header.getValue(), record)) {
                in.setHeader(header.getKey(), header.getValue());
            }
        }
        in.setHeader(SpringRabbitMQConstants.ROUTING_KEY, properties.getReceivedRoutingKey());
        // Only where the routing key does not already name it (a partition's record carries its id):
        // one header less per record on the plain queue.
        if (properties.getConsumerQueue() != null && !properties.getConsumerQueue().equals(properties.getReceivedRoutingKey())) {
            in.setHeader(RabbitBatchEndpoint.CONSUMER_QUEUE, properties.getConsumerQueue());
        }
        in.setHeader(SpringRabbitMQConstants.REDELIVERED, properties.isRedelivered());
        in.setHeader(SpringRabbitMQConstants.DELIVERY_TAG, properties.getDeliveryTag());
        if (properties.getMessageId() != null) {
            in.setHeader(SpringRabbitMQConstants.MESSAGE_ID, properties.getMessageId());
        }
        in.setBody(message.getBody());
        return record;
    }

    /** Makes the container requeue the batch. */
    static final class BatchNotProcessed extends RuntimeException {
        BatchNotProcessed(Throwable cause) {
            super("batch not processed: " + cause, cause);
        }
    }
}
