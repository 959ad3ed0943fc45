package com.ingestrouter.rabbit;

import com.ingestrouter.errors.Causes;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.CustomExchange;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * An ordered queue spread over several: RabbitMQ's consistent-hash exchange named like the queue routes
 * each message by its key (the record's id) to one of {@code <queue>.0} … {@code <queue>.<n-1>}, and each
 * of those is a single-active-consumer queue. Every copy of a key lands on the same queue, which one
 * consumer in the whole deployment takes in order; the queues are consumed side by side.
 *
 * <p>The ordering is RabbitMQ's (the exchange plugin {@code rabbitmq_consistent_hash_exchange}, and the
 * queue argument {@code x-single-active-consumer}); this class only declares it, from the consumer and
 * the publisher alike, so that a publish never meets an exchange without its queues.
 */
public record QueuePartitions(String queue, int count) {
    private static final String EXCHANGE_TYPE = "x-consistent-hash";
    /** Every queue gets the same share of the hash ring. */
    private static final String WEIGHT = "1";
    /** How far past the count a start looks for the queues of a larger count used before. */
    private static final int MOST_STRAYS = 1024;

    public QueuePartitions {
        if (count < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, not " + count);
        }
    }

    /** The consistent-hash exchange publishers send to, with the record's key as routing key. */
    public String exchange() {
        return queue;
    }

    public List<String> queues() {
        List<String> queues = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            queues.add(name(i));
        }
        return queues;
    }

    private String name(int i) {
        return queue + "." + i;
    }

    /** Declares the exchange, the queues and their bindings; each is idempotent. */
    public void declare(ConnectionFactory connections) {
        RabbitAdmin admin = new RabbitAdmin(connections);
        try {
            admin.declareExchange(new CustomExchange(exchange(), EXCHANGE_TYPE, true, false));
        } catch (AmqpException e) {
            throw new IllegalStateException("RabbitMQ refused the consistent-hash exchange '" + exchange()
                    + "' that partitions need (" + rootMessage(e) + "); it needs the broker plugin"
                    + " (rabbitmq-plugins enable rabbitmq_consistent_hash_exchange) and no other exchange of that name,"
                    + " or set the partitions to 0", e);
        }
        for (String name : queues()) {
            try {
                admin.declareQueue(QueueBuilder.durable(name).singleActiveConsumer().build());
            } catch (AmqpException e) {
                throw new IllegalStateException("RabbitMQ refused queue '" + name
                        + "' as a durable single-active-consumer queue (does it exist with other arguments?): "
                        + rootMessage(e), e);
            }
            admin.declareBinding(new Binding(name, Binding.DestinationType.QUEUE, exchange(), WEIGHT, null));
        }
    }

    /**
     * The queues of a larger count used before ({@code <queue>.<count>} and up, while they exist), taken
     * off the exchange so that nothing more lands on them: they are still consumed until empty.
     */
    List<String> unbindStrays(ConnectionFactory connections) {
        RabbitAdmin admin = new RabbitAdmin(connections);
        List<String> strays = new ArrayList<>();
        for (int i = count; i < count + MOST_STRAYS && admin.getQueueProperties(name(i)) != null; i++) {
            admin.removeBinding(new Binding(name(i), Binding.DestinationType.QUEUE, exchange(), WEIGHT, null));
            strays.add(name(i));
        }
        return strays;
    }

    private static String rootMessage(Throwable e) {
        return Causes.root(e).getMessage();
    }
}
