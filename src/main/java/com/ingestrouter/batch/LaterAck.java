package com.ingestrouter.batch;

/**
 * A record whose source can settle it on its own, after its batch: a RabbitMQ delivery, acked by its tag.
 * The dead-letter writer uses it when the dead-letter store is down: the record is held back, unacked,
 * while the rest of its batch is acked and the queue keeps flowing; its letter is stored and the record
 * acked once the store is back. Sources with one position per partition (Kafka) cannot offer it: an
 * offset commit settles every record before it.
 *
 * <p>What is held is bounded by the broker: it delivers no more than the consumer's prefetch unacked.
 */
public interface LaterAck {
    /** The exchange property that carries it, on each record of a source that can. */
    String PROPERTY = "ingestLaterAck";

    /** Called while the batch is being processed: the record is no longer settled with its batch. */
    void hold();

    /** Acks the held record (any thread). Never throws: a record whose channel is gone is redelivered anyway. */
    void ack();
}
