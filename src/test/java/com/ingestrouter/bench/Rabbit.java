package com.ingestrouter.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Plain RabbitMQ client work for the harness: pre-loading, and the broker's raw drain rate. */
final class Rabbit implements AutoCloseable {
    private final Connection connection;

    Rabbit() throws Exception {
        this.connection = connectionFactory().newConnection("ingest-bench");
    }

    private static ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory;
    }

    void freshQueue(String queue) throws IOException {
        try (Channel ch = channel()) {
            ch.queueDelete(queue);
            ch.queueDeclare(queue, true, false, false, null);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** Persistent messages with publisher confirms, as the product's own publisher sends them. */
    void preload(String queue, List<byte[]> messages) throws Exception {
        publish("", i -> queue, messages);
    }

    /** Through the exchange, each message under its routing key; confirmed every 1000. */
    private void publish(String exchange, java.util.function.IntFunction<String> routingKey, List<byte[]> messages)
            throws Exception {
        try (Channel ch = channel()) {
            ch.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
            for (int i = 0; i < messages.size(); i++) {
                ch.basicPublish(exchange, routingKey.apply(i), persistent, messages.get(i));
                if ((i + 1) % 1000 == 0) {
                    ch.waitForConfirmsOrDie(60_000);
                }
            }
            ch.waitForConfirmsOrDie(60_000);
        }
    }

    /**
     * A partitioned queue (INGEST_PAYMENTS_PARTITIONS) as the product declares it, the messages published
     * by key through its consistent-hash exchange, as POST /payments does.
     */
    void preloadPartitioned(String queue, int partitions, List<byte[]> messages, List<String> keys) throws Exception {
        org.springframework.amqp.rabbit.connection.CachingConnectionFactory spring =
                new org.springframework.amqp.rabbit.connection.CachingConnectionFactory(connectionFactory());
        try {
            new com.ingestrouter.rabbit.QueuePartitions(queue, partitions).declare(spring);
        } finally {
            spring.destroy();
        }
        publish(queue, keys::get, messages);
    }

    /** Deletes a partitioned queue's exchange and partition queues (as many as there are). */
    void deletePartitions(String queue) throws Exception {
        try (Channel ch = channel()) {
            ch.exchangeDelete(queue);
        }
        for (int i = 0; ; i++) {
            try (Channel ch = channel()) {
                ch.queueDeclarePassive(queue + "." + i);
            } catch (IOException absent) {
                return;
            }
            try (Channel ch = channel()) {
                ch.queueDelete(queue + "." + i);
            }
        }
    }

    long depth(String queue) throws Exception {
        try (Channel ch = channel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /** The broker's limit: a consumer that does nothing but ack (in groups), prefetch 1000. */
    double rawDrainRate(String queue, int count) throws Exception {
        Channel ch = channel();
        ch.basicQos(1000);
        CountDownLatch done = new CountDownLatch(count);
        long start = System.nanoTime();
        ch.basicConsume(queue, false, new DefaultConsumer(ch) {
            private int unacked;

            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                if (++unacked >= 100 || done.getCount() <= 1) {
                    getChannel().basicAck(envelope.getDeliveryTag(), true);
                    unacked = 0;
                }
                done.countDown();
            }
        });
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("raw drain did not finish");
        }
        double rate = count / ((System.nanoTime() - start) / 1e9);
        ch.close();
        return rate;
    }

    Channel channel() throws IOException {
        return connection.createChannel();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
