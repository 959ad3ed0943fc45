package com.ingestrouter.payments;

import com.ingestrouter.observe.Metrics;
import com.ingestrouter.sql.Database;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;

/**
 * Writes a payment once. The payment_events primary key is the idempotency check: it sits in the same
 * transaction as the write, is shared by every instance, and costs no extra round trip. A payment id
 * seen before goes to skipped_messages (once); seen there too, it is only counted.
 *
 * <p>A consumed batch is written set-wise in one transaction ({@link #storeBatch}: one existence query,
 * one batched insert per table); {@link #store} writes one message, for the per-message route that a
 * failed batch falls back to.
 */
public final class PaymentStore {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentStore.class);
    private static final List<String> COLUMNS = List.of("payment_id", "user_id", "deposit_amount");
    private static final List<String> KEY = List.of("payment_id");
    static final String STORED = "stored";
    static final String DUPLICATE = "duplicate";

    /** A payment and whether the broker says it was delivered before. */
    public record Write(Payment payment, boolean redelivered) {
        Map<String, Object> row() {
            return Map.of("payment_id", payment.paymentId(), "user_id", payment.userId(),
                    "deposit_amount", payment.depositAmount());
        }
    }

    private final Database db;
    private final Metrics metrics;
    private final String insertPayment;
    private final String insertPaymentIfAbsent;
    private final String insertSkippedIfAbsent;

    public PaymentStore(Database db, Metrics metrics) {
        this.db = db;
        this.metrics = metrics;
        this.insertPayment = "INSERT INTO payment_events (payment_id, user_id, deposit_amount) "
                + "VALUES (:payment_id, :user_id, :deposit_amount)";
        this.insertPaymentIfAbsent = db.dialect().insertIfAbsent("payment_events", COLUMNS, KEY);
        this.insertSkippedIfAbsent = db.dialect().insertIfAbsent("skipped_messages", COLUMNS, KEY);
    }

    static Write write(Payment payment, Exchange record) {
        return new Write(payment, Boolean.TRUE.equals(record.getMessage().getHeader(SpringRabbitMQConstants.REDELIVERED, Boolean.class)));
    }

    /**
     * Returns the outcome, {@code stored} or {@code duplicate}, once it is committed. A broker
     * redelivery of a message whose row is already there (the process died after the commit, before
     * the ack) is the same message, not a new duplicate: it is acked without a skipped_messages row.
     */
    public String store(Payment payment, @Header(SpringRabbitMQConstants.REDELIVERED) Boolean redelivered) {
        return storeOne(new Write(payment, Boolean.TRUE.equals(redelivered)));
    }

    String storeOne(Write write) {
        Map<String, Object> row = write.row();
        return metrics.timeDb("payments", "store", () -> db.inTransaction(() -> {
            if (db.insertIfAbsent(insertPaymentIfAbsent, row) == 1) {
                return STORED;
            }
            if (write.redelivered() && same(storedPayment(write.payment().paymentId()), write.payment())) {
                LOG.info("payment {} redelivered after it was stored; acknowledging", write.payment().paymentId());
                return DUPLICATE;
            }
            if (db.insertIfAbsent(insertSkippedIfAbsent, row) == 0) {
                LOG.info("payment {} is already in payment_events and skipped_messages", write.payment().paymentId());
            }
            return DUPLICATE;
        }));
    }

    /** Same rules as {@link #storeOne}, decided set-wise: one query for the known ids, two batches. */
    public List<String> storeBatch(List<Write> writes) {
        return metrics.timeDb("payments", "store-batch", () -> db.inTransaction(() -> {
            Map<Long, Payment> known = storedPayments(writes.stream().map(w -> w.payment().paymentId()).distinct().toList());
            // Only a row committed before this batch can be a redelivered message's own row; a copy of a
            // payment this batch inserts is a second message, so a real duplicate, redelivered or not.
            Set<Long> storedBefore = Set.copyOf(known.keySet());
            List<Map<String, Object>> inserts = new ArrayList<>();
            List<Map<String, Object>> skips = new ArrayList<>();
            Set<Long> skipped = new HashSet<>();
            List<String> outcomes = new ArrayList<>(writes.size());
            for (Write write : writes) {
                long id = write.payment().paymentId();
                Payment existing = known.get(id);
                if (existing == null) {
                    known.put(id, write.payment());
                    inserts.add(write.row());
                    outcomes.add(STORED);
                } else {
                    boolean ownRow = write.redelivered() && storedBefore.contains(id) && same(existing, write.payment());
                    if (!ownRow && skipped.add(id)) {
                        skips.add(write.row());
                    }
                    outcomes.add(DUPLICATE);
                }
            }
            // A plain INSERT: the ids were just checked; a racing instance makes it fail, and the
            // batch is then redone message by message with the race-proof statement.
            db.jdbc().batchUpdate(insertPayment, SqlParameterSourceUtils.createBatch(inserts));
            db.jdbc().batchUpdate(insertSkippedIfAbsent, SqlParameterSourceUtils.createBatch(skips));
            return outcomes;
        }));
    }

    private Map<Long, Payment> storedPayments(List<Long> ids) {
        Map<Long, Payment> stored = new HashMap<>();
        db.jdbc().query("SELECT payment_id, user_id, deposit_amount FROM payment_events WHERE payment_id IN (:ids)",
                Map.of("ids", ids), rs -> {
                    stored.put(rs.getLong(1), new Payment(rs.getLong(2), rs.getLong(1), rs.getBigDecimal(3)));
                });
        return stored;
    }

    private Payment storedPayment(long id) {
        return storedPayments(List.of(id)).get(id);
    }

    private static boolean same(Payment stored, Payment payment) {
        return stored != null && stored.userId() == payment.userId()
                && stored.depositAmount().compareTo(payment.depositAmount()) == 0;
    }
}
