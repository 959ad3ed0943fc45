package com.ingestrouter.payments;

import com.ingestrouter.observe.Metrics;
import com.ingestrouter.sql.Database;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a payment once. The payment_events primary key is the idempotency check: it sits in the same
 * transaction as the write, is shared by every instance, and costs no extra round trip. A payment id
 * seen before goes to skipped_messages (once); seen there too, it is only counted.
 */
public final class PaymentStore {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentStore.class);
    private static final List<String> COLUMNS = List.of("payment_id", "user_id", "deposit_amount");
    private static final List<String> KEY = List.of("payment_id");
    private static final String REDELIVERED = "CamelSpringRabbitmqRedelivered";

    private final Database db;
    private final Metrics metrics;
    private final String insertPayment;
    private final String insertSkipped;

    public PaymentStore(Database db, Metrics metrics) {
        this.db = db;
        this.metrics = metrics;
        this.insertPayment = db.dialect().insertIfAbsent("payment_events", COLUMNS, KEY);
        this.insertSkipped = db.dialect().insertIfAbsent("skipped_messages", COLUMNS, KEY);
    }

    /**
     * Returns the outcome: {@code stored} or {@code duplicate}. A broker redelivery of a message whose
     * row is already there (the process died after the commit, before the ack) is the same message, not
     * a new duplicate: it is acknowledged without a skipped_messages row.
     */
    public String store(Payment payment, @Header(REDELIVERED) Boolean redelivered) {
        Map<String, Object> row = Map.of("payment_id", payment.paymentId(), "user_id", payment.userId(),
                "deposit_amount", payment.depositAmount());
        return metrics.timeDb("payments", "store", () -> db.inTransaction(() -> {
            if (db.insertIfAbsent(insertPayment, row) == 1) {
                return "stored";
            }
            if (Boolean.TRUE.equals(redelivered) && alreadyStored(payment)) {
                LOG.info("payment {} redelivered after it was stored; acknowledging", payment.paymentId());
                return "duplicate";
            }
            if (db.insertIfAbsent(insertSkipped, row) == 0) {
                LOG.info("payment {} is already in payment_events and skipped_messages", payment.paymentId());
            }
            return "duplicate";
        }));
    }

    private boolean alreadyStored(Payment payment) {
        return db.jdbc().query("SELECT user_id, deposit_amount FROM payment_events WHERE payment_id = :id",
                Map.of("id", payment.paymentId()),
                rs -> rs.next() && rs.getLong(1) == payment.userId()
                        && rs.getBigDecimal(2).compareTo(payment.depositAmount()) == 0);
    }
}
