package com.ingestrouter.rabbit;

import com.rabbitmq.client.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * One exchange per batch; its body is the list of record exchanges, as camel-kafka's batching consumer
 * hands them over, so a route handles both the same way. The container acks the whole batch (one
 * multiple-ack) when the route returns without an exception, and requeues all of it otherwise: a
 * message is acked only after its batch's transaction committed or it was dead-lettered.
 *
 * <p>Each record carries the headers camel-spring-rabbitmq sets (routing key, redelivered flag,
 * message id), so the steps after it read them under the same names, and the message's own headers
 * through the same filter camel-spring-rabbitmq applies.
 */
final class RabbitBatchConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitBatchConsumer.class);
    /** camel-spring-rabbitmq's own filter: a publisher cannot set Camel* headers (redelivery counters, URIs). */
    private static final HeaderFilterStrategy HEADERS = new SpringRabbitMQHeaderFilterStrategy();

    private SimpleMessageListenerContainer container;

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
        new RabbitAdmin(endpoint.getComponent().connectionFactory()).declareQueue(new Queue(endpoint.getQueue(), true));
        container = new SimpleMessageListenerContainer(endpoint.getComponent().connectionFactory());
        container.setBeanName("rabbitmq-batch-" + endpoint.getQueue());
        container.setQueueNames(endpoint.getQueue());
        container.setConcurrentConsumers(endpoint.getConcurrentConsumers());
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(endpoint.getBatchSize());
        container.setPrefetchCount(Math.max(endpoint.getPrefetchCount(), endpoint.getBatchSize()));
        container.setReceiveTimeout(endpoint.getBatchWaitMs());
        container.setBatchReceiveTimeout(endpoint.getBatchWaitMs());
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setDefaultRequeueRejected(true);
        // The default handler treats some exceptions as fatal and drops the batch; here every failure
        // requeues, and the route's own error handling has logged the cause.
        container.setErrorHandler(e -> LOG.warn("Batch from {} requeued: {}", endpoint.getQueue(), e.getMessage()));
        container.setMessageListener((ChannelAwareBatchMessageListener) this::onBatch);
        container.afterPropertiesSet();
        container.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (container != null) {
            container.stop();
            container.destroy();
            container = null;
        }
        super.doStop();
    }

    private void onBatch(List<org.springframework.amqp.core.Message> messages, Channel channel) {
        Exchange batch = createExchange(false);
        try {
            List<Exchange> records = new ArrayList<>(messages.size());
            for (org.springframework.amqp.core.Message message : messages) {
                records.add(record(message));
            }
            batch.getMessage().setBody(records);
            // The batch's channel, as camel-spring-rabbitmq exposes it (an exchange property).
            batch.setProperty(SpringRabbitMQConstants.CHANNEL, channel);
            getProcessor().process(batch);
            if (batch.getException() != null) {
                throw new BatchNotProcessed(batch.getException());
            }
        } catch (BatchNotProcessed e) {
            throw e;
        } catch (Exception e) {
            throw new BatchNotProcessed(e);
        } finally {
            releaseExchange(batch, false);
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
