package com.ingestrouter.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ingestrouter.errors.PermanentFailure;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.sql.Database;
import com.ingestrouter.sql.Dialect;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Applies a batch of events set-wise, in one transaction, together with the idempotency ledger.
 *
 * <p><b>Idempotency.</b> {@code processed_events(event_id PK, content_hash)} is the idempotent
 * repository: an eventId already there with the same hash is an exact redelivery ({@code duplicate},
 * no write); with another hash it is a correction ({@code corrected}, applied again). This is what
 * Camel's idempotent-consumer EIP does with a {@code JdbcMessageIdRepository}, with two differences
 * that matter here: the ledger row is written in the <i>same</i> transaction as the business rows (the
 * EIP's repository commits on its own, so a crash between the two either loses the event or skips it
 * for ever), and a whole batch is checked with one {@code IN} query instead of one round trip per
 * message. It also keeps a content hash, which the EIP's repository has no place for.
 *
 * <p><b>Writes.</b> Every event is an upsert on its natural key, written with JDBC batches; duplicate
 * keys inside a batch collapse to the last event (Kafka keeps one key's events in order). Parents go
 * first (users, orders, items, payments), so a child and its parent in the same batch never miss.
 * Inventory deltas go into a ledger keyed by eventId and the balance is recomputed from the ledger in
 * the same transaction, so a replay or a correction can never apply a delta twice.
 */
public final class EventStore {
    /** Larger IN lists are split: SQL Server takes at most 2100 parameters per statement. */
    private static final int IN_CHUNK = 500;

    private static final List<String> USER = List.of("user_id", "email", "name", "first_name", "last_name",
            "created_at", "event_id", "updated_at");
    private static final List<String> ORDER = List.of("order_id", "user_id", "total", "currency", "status",
            "placed_at", "event_id", "updated_at");
    private static final List<String> ITEM = List.of("order_id", "line_no", "sku", "quantity", "price");
    private static final List<String> PAYMENT = List.of("payment_key", "payment_id", "order_id", "amount",
            "currency", "status", "payment_method", "settled_at", "event_id", "updated_at");
    private static final List<String> ADJUSTMENT = List.of("event_id", "sku", "delta", "reason", "adjusted_at",
            "recorded_at");
    private static final List<String> STOCK = List.of("sku", "quantity", "updated_at");
    private static final List<String> REVIEW = List.of("review_id", "product_name", "username", "rating",
            "remarks", "created_at", "event_id", "updated_at");
    private static final List<String> LEDGER = List.of("event_id", "event_type", "content_hash", "first_seen_at",
            "applied_at");

    private final Database db;
    private final Dialect dialect;
    private final Metrics metrics;
    private final Clock clock;
    private final Statements sql;

    public EventStore(Database db, Metrics metrics, Clock clock) {
        this.db = db;
        this.dialect = db.dialect();
        this.metrics = metrics;
        this.clock = clock;
        this.sql = new Statements(dialect);
    }

    /** The statements this store runs, built once from the dialect (also what the shape tests check). */
    public static final class Statements {
        final String upsertUser;
        final String insertUser;
        final String updateUser;
        final String upsertOrder;
        final String deleteItems;
        final String insertItem;
        final String upsertPayment;
        final String upsertAdjustment;
        final String upsertStock;
        final String upsertReview;
        final String insertLedger;
        final String insertLedgerChecked;
        final String updateLedger;

        public Statements(Dialect dialect) {
            upsertUser = dialect.upsert("users", USER, List.of("user_id"));
            insertUser = "INSERT INTO users (" + String.join(", ", USER) + ") VALUES ("
                    + String.join(", ", USER.stream().map(c -> ":" + c).toList()) + ")";
            updateUser = "UPDATE users SET " + String.join(", ", USER.stream().filter(c -> !c.equals("user_id"))
                    .map(c -> c + " = :" + c).toList()) + " WHERE user_id = :user_id";
            upsertOrder = dialect.upsert("orders", ORDER, List.of("order_id"));
            deleteItems = "DELETE FROM order_items WHERE order_id IN (:ids)";
            insertItem = "INSERT INTO order_items (" + String.join(", ", ITEM) + ") VALUES ("
                    + String.join(", ", ITEM.stream().map(c -> ":" + c).toList()) + ")";
            upsertPayment = dialect.upsert("payments", PAYMENT, List.of("payment_key"));
            upsertAdjustment = dialect.upsert("inventory_adjustments", ADJUSTMENT, List.of("event_id"));
            upsertStock = dialect.upsert("inventory", STOCK, List.of("sku"));
            upsertReview = dialect.upsert("product_reviews", REVIEW, List.of("review_id"));
            insertLedger = dialect.insertIfAbsent("processed_events", LEDGER, List.of("event_id"));
            // A batch has just read the ledger for its ids: a plain INSERT batches as one multi-row
            // statement and takes no gap locks. A racing writer makes it fail, and the batch is then
            // redone one event at a time with the race-proof insertLedger.
            insertLedgerChecked = "INSERT INTO processed_events (" + String.join(", ", LEDGER) + ") VALUES ("
                    + String.join(", ", LEDGER.stream().map(c -> ":" + c).toList()) + ")";
            updateLedger = "UPDATE processed_events SET content_hash = :content_hash, event_type = :event_type,"
                    + " applied_at = :applied_at WHERE event_id = :event_id";
        }

        /** Every statement, for tests. */
        public List<String> all() {
            return List.of(upsertUser, insertUser, updateUser, upsertOrder, deleteItems, insertItem, upsertPayment,
                    upsertAdjustment, upsertStock, upsertReview, insertLedger, insertLedgerChecked, updateLedger);
        }
    }

    /**
     * Applies the events in one transaction; returns one outcome per event, in order. Database errors
     * arrive as PermanentFailure, MissingParentException or InfrastructureUnavailable (see Database), and
     * then nothing of the batch was written.
     */
    public List<Outcome> apply(List<Event> events) {
        return metrics.timeDb("events", events.size() == 1 ? "apply" : "apply-batch",
                () -> db.inTransaction(() -> applyInTransaction(events)));
    }

    /** One event in its own transaction (the per-record route); returns the outcome's name. */
    public String applyOne(Event event) {
        return apply(List.of(event)).get(0).name();
    }

    private List<Outcome> applyInTransaction(List<Event> events) {
        NamedParameterJdbcTemplate jdbc = db.jdbc();
        Instant now = clock.instant();
        Map<String, String> known = ledger(jdbc, events);
        Map<String, Event> newInLedger = new LinkedHashMap<>();
        Map<String, Event> changedInLedger = new LinkedHashMap<>();
        List<Outcome> outcomes = new ArrayList<>(events.size());
        List<Event> toApply = new ArrayList<>();
        for (Event event : events) {
            String seen = known.get(event.eventId());
            if (seen == null) {
                outcomes.add(Outcome.stored);
                newInLedger.put(event.eventId(), event);
            } else if (seen.equals(event.contentHash())) {
                outcomes.add(Outcome.duplicate);
                continue;
            } else {
                outcomes.add(Outcome.corrected);
                if (newInLedger.containsKey(event.eventId())) {
                    newInLedger.put(event.eventId(), event);
                } else {
                    changedInLedger.put(event.eventId(), event);
                }
            }
            known.put(event.eventId(), event.contentHash());
            toApply.add(event);
        }
        if (toApply.isEmpty()) {
            return outcomes;
        }
        writeUsers(jdbc, of(toApply, EventType.UserCreated), now);
        writeOrders(jdbc, of(toApply, EventType.OrderPlaced), now);
        writePayments(jdbc, of(toApply, EventType.PaymentSettled), now);
        writeInventory(jdbc, of(toApply, EventType.InventoryAdjusted), now);
        writeReviews(jdbc, of(toApply, EventType.ProductReview), now);
        batch(jdbc, events.size() == 1 ? sql.insertLedger : sql.insertLedgerChecked, newInLedger.values(), e -> ledgerRow(e, now));
        batch(jdbc, sql.updateLedger, changedInLedger.values(), e -> ledgerRow(e, now));
        return outcomes;
    }

    private Map<String, String> ledger(NamedParameterJdbcTemplate jdbc, List<Event> events) {
        Map<String, String> known = new HashMap<>();
        List<String> ids = events.stream().map(Event::eventId).distinct().toList();
        for (int i = 0; i < ids.size(); i += IN_CHUNK) {
            jdbc.query("SELECT event_id, content_hash FROM processed_events WHERE event_id IN (:ids)",
                    Map.of("ids", ids.subList(i, Math.min(ids.size(), i + IN_CHUNK))),
                    rs -> {
                        known.put(rs.getString(1), rs.getString(2).trim());
                    });
        }
        return known;
    }

    private MapSqlParameterSource ledgerRow(Event e, Instant now) {
        return new MapSqlParameterSource()
                .addValue("event_id", e.eventId())
                .addValue("event_type", e.type().name())
                .addValue("content_hash", e.contentHash())
                .addValue("first_seen_at", dialect.timestamp(now))
                .addValue("applied_at", dialect.timestamp(now));
    }

    // --- users -----------------------------------------------------------------------------------

    private void writeUsers(NamedParameterJdbcTemplate jdbc, List<Event> events, Instant now) {
        Map<String, MapSqlParameterSource> rows = collapse(events, e -> userRow(e, now));
        if (rows.isEmpty()) {
            return;
        }
        Map<String, String> ownerOfEmail = new HashMap<>();
        for (MapSqlParameterSource row : rows.values()) {
            String previous = ownerOfEmail.put((String) row.getValue("email"), (String) row.getValue("user_id"));
            if (previous != null) {
                // Set-wise upserts cannot tell which of the two should fail: the one-by-one retry can.
                throw new PermanentFailure("two users in one batch share the email " + row.getValue("email"));
            }
        }
        // MySQL's ON DUPLICATE KEY UPDATE fires on ANY unique key: an email held by another user would
        // silently overwrite that user. Such a row is written with a plain INSERT/UPDATE instead, which
        // fails with the database's own unique-violation error (and the event is dead-lettered with it).
        List<String> emails = new ArrayList<>(ownerOfEmail.keySet());
        for (int i = 0; i < emails.size(); i += IN_CHUNK) {
            jdbc.query("SELECT user_id, email FROM users WHERE email IN (:emails)",
                    Map.of("emails", emails.subList(i, Math.min(emails.size(), i + IN_CHUNK))), rs -> {
                        String holder = rs.getString(1);
                        for (MapSqlParameterSource row : rows.values()) {
                            if (((String) row.getValue("email")).equalsIgnoreCase(rs.getString(2))
                                    && !holder.equals(row.getValue("user_id"))) {
                                surfaceConflict(jdbc, row);
                            }
                        }
                    });
        }
        batch(jdbc, sql.upsertUser, rows.values(), Function.identity());
    }

    private void surfaceConflict(NamedParameterJdbcTemplate jdbc, MapSqlParameterSource row) {
        Integer exists = jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE user_id = :user_id", row, Integer.class);
        jdbc.update(exists != null && exists > 0 ? sql.updateUser : sql.insertUser, row);
    }

    private MapSqlParameterSource userRow(Event e, Instant now) {
        ObjectNode d = e.data();
        String name = d.hasNonNull("name") ? d.get("name").asText()
                : d.get("firstName").asText() + " " + d.get("lastName").asText();
        return new MapSqlParameterSource()
                .addValue("user_id", d.get("userId").asText())
                .addValue("email", d.get("email").asText())
                .addValue("name", name)
                .addValue("first_name", text(d, "firstName"))
                .addValue("last_name", text(d, "lastName"))
                .addValue("created_at", dialect.timestamp(instant(d, "createdAt", e.timestamp())))
                .addValue("event_id", e.eventId())
                .addValue("updated_at", dialect.timestamp(now));
    }

    // --- orders and items --------------------------------------------------------------------------

    private void writeOrders(NamedParameterJdbcTemplate jdbc, List<Event> events, Instant now) {
        Map<String, Event> latest = new LinkedHashMap<>();
        events.forEach(e -> latest.put(e.key(), e));
        if (latest.isEmpty()) {
            return;
        }
        batch(jdbc, sql.upsertOrder, latest.values(), e -> orderRow(e, now));
        List<String> ids = new ArrayList<>(latest.keySet());
        for (int i = 0; i < ids.size(); i += IN_CHUNK) {
            jdbc.update(sql.deleteItems, Map.of("ids", ids.subList(i, Math.min(ids.size(), i + IN_CHUNK))));
        }
        List<MapSqlParameterSource> items = new ArrayList<>();
        for (Event e : latest.values()) {
            JsonNode lines = e.data().get("items");
            if (lines == null || !lines.isArray()) {
                continue;
            }
            int lineNo = 1;
            for (JsonNode item : lines) {
                items.add(new MapSqlParameterSource()
                        .addValue("order_id", e.key())
                        .addValue("line_no", lineNo++)
                        .addValue("sku", item.get("sku").asText())
                        .addValue("quantity", item.get("quantity").intValue())
                        .addValue("price", item.get("price").decimalValue()));
            }
        }
        batch(jdbc, sql.insertItem, items, Function.identity());
    }

    private MapSqlParameterSource orderRow(Event e, Instant now) {
        ObjectNode d = e.data();
        BigDecimal total = (d.hasNonNull("total") ? d.get("total") : d.get("totalAmount")).decimalValue();
        Instant placed = instant(d, "placedAt", instant(d, "createdAt", e.timestamp()));
        return new MapSqlParameterSource()
                .addValue("order_id", e.key())
                .addValue("user_id", d.get("userId").asText())
                .addValue("total", total)
                .addValue("currency", text(d, "currency"))
                .addValue("status", text(d, "status"))
                .addValue("placed_at", dialect.timestamp(placed))
                .addValue("event_id", e.eventId())
                .addValue("updated_at", dialect.timestamp(now));
    }

    // --- payments ----------------------------------------------------------------------------------

    private void writePayments(NamedParameterJdbcTemplate jdbc, List<Event> events, Instant now) {
        batch(jdbc, sql.upsertPayment, collapse(events, e -> paymentRow(e, now)).values(), Function.identity());
    }

    /** A payment is keyed by paymentId, or else by its order (one payment per order). */
    static String paymentKey(ObjectNode d) {
        return d.hasNonNull("paymentId") ? d.get("paymentId").asText() : "order:" + d.get("orderId").asText();
    }

    private MapSqlParameterSource paymentRow(Event e, Instant now) {
        ObjectNode d = e.data();
        return new MapSqlParameterSource()
                .addValue("payment_key", paymentKey(d))
                .addValue("payment_id", text(d, "paymentId"))
                .addValue("order_id", d.get("orderId").asText())
                .addValue("amount", d.get("amount").decimalValue())
                .addValue("currency", text(d, "currency"))
                .addValue("status", d.get("status").asText())
                .addValue("payment_method", text(d, "paymentMethod"))
                .addValue("settled_at", dialect.timestamp(instant(d, "settledAt", e.timestamp())))
                .addValue("event_id", e.eventId())
                .addValue("updated_at", dialect.timestamp(now));
    }

    // --- inventory -----------------------------------------------------------------------------------

    private void writeInventory(NamedParameterJdbcTemplate jdbc, List<Event> events, Instant now) {
        Map<String, MapSqlParameterSource> adjustments = new LinkedHashMap<>();
        for (Event e : events) {
            adjustments.put(e.eventId(), adjustmentRow(e, now));
        }
        if (adjustments.isEmpty()) {
            return;
        }
        batch(jdbc, sql.upsertAdjustment, adjustments.values(), Function.identity());
        List<String> skus = adjustments.values().stream().map(r -> (String) r.getValue("sku")).distinct().toList();
        List<MapSqlParameterSource> balances = new ArrayList<>();
        for (int i = 0; i < skus.size(); i += IN_CHUNK) {
            jdbc.query("SELECT sku, SUM(delta) FROM inventory_adjustments WHERE sku IN (:skus) GROUP BY sku",
                    Map.of("skus", skus.subList(i, Math.min(skus.size(), i + IN_CHUNK))),
                    rs -> {
                        balances.add(new MapSqlParameterSource()
                                .addValue("sku", rs.getString(1))
                                .addValue("quantity", rs.getLong(2))
                                .addValue("updated_at", dialect.timestamp(now)));
                    });
        }
        batch(jdbc, sql.upsertStock, balances, Function.identity());
    }

    /** delta, or quantity with adjustmentType add|subtract. */
    static long delta(ObjectNode d) {
        if (d.hasNonNull("delta")) {
            return d.get("delta").longValue();
        }
        long quantity = d.get("quantity").longValue();
        return "subtract".equals(d.get("adjustmentType").asText()) ? -quantity : quantity;
    }

    private MapSqlParameterSource adjustmentRow(Event e, Instant now) {
        ObjectNode d = e.data();
        return new MapSqlParameterSource()
                .addValue("event_id", e.eventId())
                .addValue("sku", e.key())
                .addValue("delta", delta(d))
                .addValue("reason", text(d, "reason"))
                .addValue("adjusted_at", dialect.timestamp(instant(d, "adjustedAt", e.timestamp())))
                .addValue("recorded_at", dialect.timestamp(now));
    }

    // --- reviews -------------------------------------------------------------------------------------

    private void writeReviews(NamedParameterJdbcTemplate jdbc, List<Event> events, Instant now) {
        batch(jdbc, sql.upsertReview, collapse(events, e -> reviewRow(e, now)).values(), Function.identity());
    }

    private MapSqlParameterSource reviewRow(Event e, Instant now) {
        ObjectNode d = e.data();
        return new MapSqlParameterSource()
                .addValue("review_id", e.key())
                .addValue("product_name", d.get("productName").asText())
                .addValue("username", d.get("username").asText())
                .addValue("rating", d.get("rating").intValue())
                .addValue("remarks", text(d, "remarks"))
                .addValue("created_at", dialect.timestamp(instant(d, "createdAt", e.timestamp())))
                .addValue("event_id", e.eventId())
                .addValue("updated_at", dialect.timestamp(now));
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static List<Event> of(List<Event> events, EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /** One row per natural key (the first column's value is not enough: payments key differently). */
    private static Map<String, MapSqlParameterSource> collapse(List<Event> events,
            Function<Event, MapSqlParameterSource> row) {
        Map<String, MapSqlParameterSource> rows = new LinkedHashMap<>();
        for (Event e : events) {
            MapSqlParameterSource r = row.apply(e);
            String key = (String) (r.hasValue("payment_key") ? r.getValue("payment_key") : r.getValue(r.getParameterNames()[0]));
            rows.remove(key);
            rows.put(key, r);
        }
        return rows;
    }

    private static <T> void batch(NamedParameterJdbcTemplate jdbc, String statement, java.util.Collection<T> items,
            Function<T, MapSqlParameterSource> row) {
        if (items.isEmpty()) {
            return;
        }
        SqlParameterSource[] rows = items.stream().map(row).toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate(statement, rows);
    }

    private static String text(ObjectNode d, String field) {
        return d.hasNonNull(field) ? d.get(field).asText() : null;
    }

    private static Instant instant(ObjectNode d, String field, Instant fallback) {
        return d.hasNonNull(field) ? EventParser.instant(d.get(field), field) : fallback;
    }
}
