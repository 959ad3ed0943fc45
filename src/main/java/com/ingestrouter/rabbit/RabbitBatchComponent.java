package com.ingestrouter.rabbit;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * {@code rabbitmq-batch:<queue>}: consumes a durable RabbitMQ queue in batches and acks each batch
 * only after the route has processed it. camel-spring-rabbitmq hands over one message per exchange,
 * so a consumer can only commit one message per transaction; Spring AMQP's container can gather a
 * batch, and this component exposes that to routes.
 */
public final class RabbitBatchComponent extends DefaultComponent {
    private final ConnectionFactory connectionFactory;

    public RabbitBatchComponent(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RabbitBatchEndpoint endpoint = new RabbitBatchEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
