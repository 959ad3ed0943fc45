package com.ingestrouter.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ingestrouter.errors.PermanentFailure;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.sql.BatchWriter;
import com.ingestrouter.sql.Database;
import com.ingestrouter.sql.Dialect;
import com.ingestrouter.sql.MySqlDialect;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Applies a batch of events set-wise, in one transaction, and tells for each whether it is new, an
 * exact redelivery or a correction.
 *
 * <p><b>Idempotency: the row is the ledger.</b> A state-like row (user, order, payment, review) carries
 * the eventId and content hash of the event it holds; {@code inventory_adjustments}, keyed by eventId,
 * is the ledger of the inventory deltas and carries the hash too. So the rows read for the batch's keys
 * (one {@code IN} query per type) answer for the events they hold: same id and hash → {@code duplicate},
 * no write; same id, other hash → {@code corrected}, applied again. An event a later event of the same
 * entity replaced is no longer on its row: it goes to {@code processed_events} (the superseded ledger)
 * in the same transaction, and is looked up there only for keys whose row holds another event. So a
 * replay of an older event is still a duplicate, never an overwrite, and an event costs one row write,
 * not two (plus one for each superseded event). The check and the writes are in the one transaction:
 * a crash leaves either all of them or none. This is Camel's idempotent-consumer EIP with the
 * repository inside the write's transaction (the EIP's repository commits on its own, so a crash in
 * between loses or skips the event), checked set-wise, and with a content hash the EIP has no place for.
 * One difference to a plain ledger of every eventId: a correction that moves an event to another entity
 * key is counted as {@code stored} (its new row knows nothing of it); the rows are the same.
 *
 * <p><b>Writes.</b> Every event is an upsert on its natural key, bound positionally through the one
 * {@link BatchWriter}; duplicate keys inside a batch collapse to the last event (Kafka keeps one key's
 * events in order). Parents go first (users, orders, items, payments), so a child and its parent in the
 * same batch never miss. Inventory deltas go into their ledger keyed by eventId and the balance is
 * recomputed from the ledger in the same transaction, so a replay or a correction can never apply a
 * delta twice.
 */
public final class EventStore {
    /** Larger IN lists are split: SQL Server takes at most 2100 parameters per statement. */
    private static final int IN_CHUNK = 500;

    private static final List<String> USER = List.of("user_id", "email", "name", "first_name", "last_name",
            "created_at", "event_id", "content_hash", "updated_at");
    private static final int[] USER_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
            Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR, Types.CHAR, Types.TIMESTAMP_WITH_TIMEZONE};
    private static final List<String> ORDER = List.of("order_id", "user_id", "total", "currency", "status",
            "placed_at", "event_id", "content_hash", "updated_at");
    private static final int[] ORDER_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.DECIMAL, Types.VARCHAR, Types.VARCHAR,
            Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR, Types.CHAR, Types.TIMESTAMP_WITH_TIMEZONE};
    private static final List<String> ITEM = List.of("order_id", "line_no", "sku", "quantity", "price");
    private static final int[] ITEM_TYPES = {Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.INTEGER, Types.DECIMAL};
    private static final List<String> PAYMENT = List.of("payment_key", "payment_id", "order_id", "amount",
            "currency", "status", "payment_method", "settled_at", "event_id", "content_hash", "updated_at");
    private static final int[] PAYMENT_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.DECIMAL, Types.VARCHAR,
            Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR, Types.CHAR,
            Types.TIMESTAMP_WITH_TIMEZONE};
    private static final List<String> ADJUSTMENT = List.of("event_id", "sku", "delta", "reason", "adjusted_at",
            "content_hash", "recorded_at");
    private static final int[] ADJUSTMENT_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.VARCHAR,
            Types.TIMESTAMP_WITH_TIMEZONE, Types.CHAR, Types.TIMESTAMP_WITH_TIMEZONE};
    private static final List<String> STOCK = List.of("sku", "quantity", "updated_at");
    private static final int[] STOCK_TYPES = {Types.VARCHAR, Types.BIGINT, Types.TIMESTAMP_WITH_TIMEZONE};
    private static final List<String> REVIEW = List.of("review_id", "product_name", "username", "rating",
            "remarks", "created_at", "event_id", "content_hash", "updated_at");
    private static final int[] REVIEW_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.VARCHAR,
            Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR, Types.CHAR, Types.TIMESTAMP_WITH_TIMEZONE};
    private static final List<String> SUPERSEDED = List.of("event_id", "event_type", "content_hash", "first_seen_at",
            "applied_at");
    private static final int[] SUPERSEDED_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.CHAR, Types.TIMESTAMP_WITH_TIMEZONE,
            Types.TIMESTAMP_WITH_TIMEZONE};

    private final Database db;
    private final Dialect dialect;
    private final Metrics metrics;
    private final Clock clock;
    private final BatchWriter writer;
    private final Statements sql;
    private final Compiled compiled;

    public EventStore(Database db, Metrics metrics, Clock clock) {
        this.db = db;
        this.dialect = db.dialect();
        this.metrics = metrics;
        this.clock = clock;
        this.writer = new BatchWriter(db);
        this.sql = new Statements(dialect);
        this.compiled = new Compiled(sql);
    }

    /** The statements this store runs, built once from the dialect (also what the shape tests check). */
    public static final class Statements {
        final String upsertUser;
        final String insertUser;
        final String updateUser;
        final String upsertOrder;
        final String insertItem;
        final String upsertPayment;
        final String upsertAdjustment;
        final String upsertStock;
        final String upsertReview;
        final String upsertSuperseded;

        public Statements(Dialect dialect) {
            upsertUser = dialect.upsert("users", USER, List.of("user_id"));
            insertUser = "INSERT INTO users (" + String.join(", ", USER) + ") VALUES ("
                    + String.join(", ", USER.stream().map(c -> ":" + c).toList()) + ")";
            updateUser = "UPDATE users SET " + String.join(", ", USER.stream().filter(c -> !c.equals("user_id"))
                    .map(c -> c + " = :" + c).toList()) + " WHERE user_id = :user_id";
            upsertOrder = dialect.upsert("orders", ORDER, List.of("order_id"));
            insertItem = "INSERT INTO order_items (" + String.join(", ", ITEM) + ") VALUES ("
                    + String.join(", ", ITEM.stream().map(c -> ":" + c).toList()) + ")";
            upsertPayment = dialect.upsert("payments", PAYMENT, List.of("payment_key"));
            upsertAdjustment = dialect.upsert("inventory_adjustments", ADJUSTMENT, List.of("event_id"));
            upsertStock = dialect.upsert("inventory", STOCK, List.of("sku"));
            upsertReview = dialect.upsert("product_reviews", REVIEW, List.of("review_id"));
            upsertSuperseded = dialect.upsert("processed_events", SUPERSEDED, List.of("event_id"));
        }

        /** Every statement, for tests. */
        public List<String> all() {
            return List.of(upsertUser, insertUser, updateUser, upsertOrder, insertItem, upsertPayment,
                    upsertAdjustment, upsertStock, upsertReview, upsertSuperseded);
        }
    }

    /** The same statements compiled once for positional binding. */
    private static final class Compiled {
        final BatchWriter.Statement upsertUser;
        final BatchWriter.Statement insertUser;
        final BatchWriter.Statement updateUser;
        final BatchWriter.Statement upsertOrder;
        final BatchWriter.Statement insertItem;
        final BatchWriter.Statement upsertPayment;
        final BatchWriter.Statement upsertAdjustment;
        final BatchWriter.Statement upsertStock;
        final BatchWriter.Statement upsertReview;
        final BatchWriter.Statement upsertSuperseded;

        Compiled(Statements sql) {
            upsertUser = BatchWriter.Statement.of(sql.upsertUser, USER, USER_TYPES);
            insertUser = BatchWriter.Statement.of(sql.insertUser, USER, USER_TYPES);
            updateUser = BatchWriter.Statement.of(sql.updateUser, USER, USER_TYPES);
            upsertOrder = BatchWriter.Statement.of(sql.upsertOrder, ORDER, ORDER_TYPES);
            insertItem = BatchWriter.Statement.of(sql.insertItem, ITEM, ITEM_TYPES);
            upsertPayment = BatchWriter.Statement.of(sql.upsertPayment, PAYMENT, PAYMENT_TYPES);
            upsertAdjustment = BatchWriter.Statement.of(sql.upsertAdjustment, ADJUSTMENT, ADJUSTMENT_TYPES);
            upsertStock = BatchWriter.Statement.of(sql.upsertStock, STOCK, STOCK_TYPES);
            upsertReview = BatchWriter.Statement.of(sql.upsertReview, REVIEW, REVIEW_TYPES);
            upsertSuperseded = BatchWriter.Statement.of(sql.upsertSuperseded, SUPERSEDED, SUPERSEDED_TYPES);
        }
    }

    /** Where each state-like type's rows live and how an event finds its row. */
    private enum Entity {
        USER(EventType.UserCreated, "users", "user_id"),
        ORDER(EventType.OrderPlaced, "orders", "order_id"),
        PAYMENT(EventType.PaymentSettled, "payments", "payment_key"),
        REVIEW(EventType.ProductReview, "product_reviews", "review_id");

        final EventType type;
        final String table;
        final String key;

        Entity(EventType type, String table, String key) {
            this.type = type;
            this.table = table;
            this.key = key;
        }

        /** The row's key: the Kafka key, except payments (by paymentId, else by order). */
        String keyOf(Event e) {
            return this == PAYMENT ? paymentKey(e.data()) : e.key();
        }

        static Entity of(EventType type) {
            for (Entity entity : values()) {
                if (entity.type == type) {
                    return entity;
                }
            }
            return null;
        }
    }

    /** The event a row (or the inventory ledger) holds. */
    private record Held(String eventId, String hash) {
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
        JdbcTemplate jdbc = db.jdbc().getJdbcTemplate();
        // One value per batch: formatting a timestamp per row was 5% of the consumer's CPU.
        Object stamp = dialect.timestamp(clock.instant());

        // What the rows hold for the batch's keys, per type; the inventory ledger by eventId.
        Map<Entity, Map<String, Held>> rows = new HashMap<>();
        Map<String, String> emailOwners = new HashMap<>();
        for (Entity entity : Entity.values()) {
            List<String> keys = distinct(events, entity.type, entity::keyOf);
            if (!keys.isEmpty()) {
                rows.put(entity, held(jdbc, entity, keys, entity == Entity.USER ? emailOwners : null, events));
            }
        }
        List<String> adjustmentIds = distinct(events, EventType.InventoryAdjusted, Event::eventId);
        Map<String, Held> adjustments = adjustmentIds.isEmpty() ? Map.of()
                : lookup(jdbc, "SELECT event_id, event_id, content_hash FROM inventory_adjustments WHERE event_id IN ", adjustmentIds);
        // Superseded events: only an event whose row holds another event can be one.
        List<String> maybeSuperseded = new ArrayList<>();
        for (Event e : events) {
            Entity entity = Entity.of(e.type());
            Held row = entity == null ? null : rows.get(entity).get(entity.keyOf(e));
            if (row != null && !row.eventId().equals(e.eventId())) {
                maybeSuperseded.add(e.eventId());
            }
        }
        Map<String, Held> superseded = maybeSuperseded.isEmpty() ? Map.of()
                : lookup(jdbc, "SELECT event_id, event_id, content_hash FROM processed_events WHERE event_id IN ",
                        new ArrayList<>(new LinkedHashSet<>(maybeSuperseded)));

        Map<String, String> known = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>(events.size());
        List<Event> toApply = new ArrayList<>();
        for (Event event : events) {
            String seen = known.get(event.eventId());
            if (seen == null) {
                Held held = heldFor(event, rows, adjustments, superseded);
                seen = held == null ? null : held.hash();
            }
            if (seen == null) {
                outcomes.add(Outcome.stored);
            } else if (seen.equals(event.contentHash())) {
                outcomes.add(Outcome.duplicate);
                continue;
            } else {
                outcomes.add(Outcome.corrected);
            }
            known.put(event.eventId(), event.contentHash());
            toApply.add(event);
        }
        if (toApply.isEmpty()) {
            return outcomes;
        }
        Map<String, Object[]> replaced = new LinkedHashMap<>();
        writeUsers(jdbc, latest(Entity.USER, toApply, rows, replaced, stamp), emailOwners, stamp);
        writeOrders(latest(Entity.ORDER, toApply, rows, replaced, stamp), stamp);
        writer.batch(compiled.upsertPayment, rows(latest(Entity.PAYMENT, toApply, rows, replaced, stamp), e -> paymentRow(e, stamp)));
        writeInventory(jdbc, of(toApply, EventType.InventoryAdjusted), stamp);
        writer.batch(compiled.upsertReview, rows(latest(Entity.REVIEW, toApply, rows, replaced, stamp), e -> reviewRow(e, stamp)));
        writer.batch(compiled.upsertSuperseded, new ArrayList<>(replaced.values()));
        return outcomes;
    }

    /** What is known of this event: its row's event, its inventory ledger row, or its superseded entry. */
    private static Held heldFor(Event e, Map<Entity, Map<String, Held>> rows, Map<String, Held> adjustments,
            Map<String, Held> superseded) {
        if (e.type() == EventType.InventoryAdjusted) {
            return adjustments.get(e.eventId());
        }
        Entity entity = Entity.of(e.type());
        Held row = rows.get(entity).get(entity.keyOf(e));
        if (row != null && row.eventId().equals(e.eventId())) {
            return row;
        }
        return superseded.get(e.eventId());
    }

    /**
     * The last event per key of this type, in first-seen key order. Every event that stops being what
     * its row holds (the row's earlier event, or an earlier event of the batch) goes to {@code replaced},
     * for the superseded ledger.
     */
    private List<Event> latest(Entity entity, List<Event> toApply, Map<Entity, Map<String, Held>> rows,
            Map<String, Object[]> replaced, Object stamp) {
        Map<String, Event> last = new LinkedHashMap<>();
        Map<String, List<Event>> byKey = new HashMap<>();
        for (Event e : toApply) {
            if (e.type() == entity.type) {
                String key = entity.keyOf(e);
                last.remove(key);
                last.put(key, e);
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Held> held = rows.getOrDefault(entity, Map.of());
        for (Map.Entry<String, Event> entry : last.entrySet()) {
            String winner = entry.getValue().eventId();
            Held before = held.get(entry.getKey());
            if (before != null && !before.eventId().equals(winner) && before.hash() != null) {
                replaced.put(before.eventId(), supersededRow(before.eventId(), entity.type, before.hash(), stamp));
            }
            for (Event e : byKey.get(entry.getKey())) {
                if (!e.eventId().equals(winner)) {
                    replaced.put(e.eventId(), supersededRow(e.eventId(), entity.type, e.contentHash(), stamp));
                }
            }
        }
        return new ArrayList<>(last.values());
    }

    private Object[] supersededRow(String eventId, EventType type, String hash, Object stamp) {
        return new Object[] {eventId, type.name(), hash, stamp, stamp};
    }

    /**
     * The event each row of these keys holds. For users on MySQL/MariaDB also the holders of the
     * batch's emails: there ON DUPLICATE KEY UPDATE fires on any unique key, so a row whose email belongs
     * to another user must not go through the upsert.
     */
    private Map<String, Held> held(JdbcTemplate jdbc, Entity entity, List<String> keys, Map<String, String> emailOwners,
            List<Event> events) {
        Map<String, Held> held = lookup(jdbc, "SELECT " + entity.key + ", event_id, content_hash FROM " + entity.table
                + " WHERE " + entity.key + " IN ", keys);
        if (emailOwners != null && dialect instanceof MySqlDialect) {
            List<String> emails = distinct(events, EventType.UserCreated, e -> e.data().get("email").asText());
            for (int i = 0; i < emails.size(); i += IN_CHUNK) {
                List<String> chunk = emails.subList(i, Math.min(emails.size(), i + IN_CHUNK));
                jdbc.query("SELECT email, user_id FROM users WHERE email IN (" + marks(chunk.size()) + ")",
                        rs -> {
                            // The unique index compares case-insensitively, as the check did before.
                            emailOwners.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                        }, chunk.toArray());
            }
        }
        return held;
    }

    /** {@code select} returns (key, event_id, content_hash); the IN list is appended, in chunks. */
    private static Map<String, Held> lookup(JdbcTemplate jdbc, String select, List<String> keys) {
        Map<String, Held> found = new HashMap<>();
        for (int i = 0; i < keys.size(); i += IN_CHUNK) {
            List<String> chunk = keys.subList(i, Math.min(keys.size(), i + IN_CHUNK));
            jdbc.query(select + "(" + marks(chunk.size()) + ")", rs -> {
                String hash = rs.getString(3);
                found.put(rs.getString(1), new Held(rs.getString(2), hash == null ? null : hash.trim()));
            }, chunk.toArray());
        }
        return found;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static List<Object[]> rows(Collection<Event> events, Function<Event, Object[]> row) {
        List<Object[]> rows = new ArrayList<>(events.size());
        for (Event e : events) {
            rows.add(row.apply(e));
        }
        return rows;
    }

    // --- users -----------------------------------------------------------------------------------

    private void writeUsers(JdbcTemplate jdbc, List<Event> users, Map<String, String> emailOwners, Object stamp) {
        if (users.isEmpty()) {
            return;
        }
        Map<String, String> ownerOfEmail = new HashMap<>();
        List<Object[]> upserts = new ArrayList<>(users.size());
        for (Event e : users) {
            Object[] row = userRow(e, stamp);
            String email = (String) row[1];
            String previous = ownerOfEmail.put(email, (String) row[0]);
            if (previous != null) {
                // Set-wise upserts cannot tell which of the two should fail: the one-by-one retry can.
                throw new PermanentFailure("two users in one batch share the email " + email);
            }
            String owner = emailOwners.get(email.toLowerCase(Locale.ROOT));
            if (owner != null && !owner.equals(row[0])) {
                // The email belongs to another user: a plain INSERT/UPDATE fails with the database's own
                // unique-violation error (and the event is dead-lettered with it), where MySQL's upsert
                // would silently overwrite that other user.
                surfaceConflict(jdbc, row);
            } else {
                upserts.add(row);
            }
        }
        writer.batch(compiled.upsertUser, upserts);
    }

    private void surfaceConflict(JdbcTemplate jdbc, Object[] row) {
        Integer exists = jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE user_id = ?", Integer.class, row[0]);
        writer.update(exists != null && exists > 0 ? compiled.updateUser : compiled.insertUser, row);
    }

    private Object[] userRow(Event e, Object stamp) {
        ObjectNode d = e.data();
        String name = d.hasNonNull("name") ? d.get("name").asText()
                : d.get("firstName").asText() + " " + d.get("lastName").asText();
        return new Object[] {d.get("userId").asText(), d.get("email").asText(), name, text(d, "firstName"),
                text(d, "lastName"), dialect.timestamp(instant(d, "createdAt", e.timestamp())), e.eventId(),
                e.contentHash(), stamp};
    }

    // --- orders and items --------------------------------------------------------------------------

    private void writeOrders(List<Event> orders, Object stamp) {
        if (orders.isEmpty()) {
            return;
        }
        writer.batch(compiled.upsertOrder, rows(orders, e -> orderRow(e, stamp)));
        List<String> ids = orders.stream().map(Event::key).toList();
        JdbcTemplate jdbc = db.jdbc().getJdbcTemplate();
        for (int i = 0; i < ids.size(); i += IN_CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
            jdbc.update("DELETE FROM order_items WHERE order_id IN (" + marks(chunk.size()) + ")", chunk.toArray());
        }
        List<Object[]> items = new ArrayList<>();
        for (Event e : orders) {
            JsonNode lines = e.data().get("items");
            if (lines == null || !lines.isArray()) {
                continue;
            }
            int lineNo = 1;
            for (JsonNode item : lines) {
                items.add(new Object[] {e.key(), lineNo++, item.get("sku").asText(), item.get("quantity").intValue(),
                        item.get("price").decimalValue()});
            }
        }
        writer.batch(compiled.insertItem, items);
    }

    private Object[] orderRow(Event e, Object stamp) {
        ObjectNode d = e.data();
        BigDecimal total = (d.hasNonNull("total") ? d.get("total") : d.get("totalAmount")).decimalValue();
        Instant placed = instant(d, "placedAt", instant(d, "createdAt", e.timestamp()));
        return new Object[] {e.key(), d.get("userId").asText(), total, text(d, "currency"), text(d, "status"),
                dialect.timestamp(placed), e.eventId(), e.contentHash(), stamp};
    }

    // --- payments ----------------------------------------------------------------------------------

    /** A payment is keyed by paymentId, or else by its order (one payment per order). */
    static String paymentKey(ObjectNode d) {
        return d.hasNonNull("paymentId") ? d.get("paymentId").asText() : "order:" + d.get("orderId").asText();
    }

    private Object[] paymentRow(Event e, Object stamp) {
        ObjectNode d = e.data();
        return new Object[] {paymentKey(d), text(d, "paymentId"), d.get("orderId").asText(), d.get("amount").decimalValue(),
                text(d, "currency"), d.get("status").asText(), text(d, "paymentMethod"),
                dialect.timestamp(instant(d, "settledAt", e.timestamp())), e.eventId(), e.contentHash(), stamp};
    }

    // --- inventory -----------------------------------------------------------------------------------

    private void writeInventory(JdbcTemplate jdbc, List<Event> events, Object stamp) {
        Map<String, Object[]> adjustments = new LinkedHashMap<>();
        for (Event e : events) {
            adjustments.put(e.eventId(), adjustmentRow(e, stamp));
        }
        if (adjustments.isEmpty()) {
            return;
        }
        writer.batch(compiled.upsertAdjustment, new ArrayList<>(adjustments.values()));
        List<String> skus = adjustments.values().stream().map(r -> (String) r[1]).distinct().toList();
        List<Object[]> balances = new ArrayList<>();
        for (int i = 0; i < skus.size(); i += IN_CHUNK) {
            List<String> chunk = skus.subList(i, Math.min(skus.size(), i + IN_CHUNK));
            jdbc.query("SELECT sku, SUM(delta) FROM inventory_adjustments WHERE sku IN (" + marks(chunk.size()) + ") GROUP BY sku",
                    rs -> {
                        balances.add(new Object[] {rs.getString(1), rs.getLong(2), stamp});
                    }, chunk.toArray());
        }
        writer.batch(compiled.upsertStock, balances);
    }

    /** delta, or quantity with adjustmentType add|subtract. */
    static long delta(ObjectNode d) {
        if (d.hasNonNull("delta")) {
            return d.get("delta").longValue();
        }
        long quantity = d.get("quantity").longValue();
        return "subtract".equals(d.get("adjustmentType").asText()) ? -quantity : quantity;
    }

    private Object[] adjustmentRow(Event e, Object stamp) {
        ObjectNode d = e.data();
        return new Object[] {e.eventId(), e.key(), delta(d), text(d, "reason"),
                dialect.timestamp(instant(d, "adjustedAt", e.timestamp())), e.contentHash(), stamp};
    }

    // --- reviews -------------------------------------------------------------------------------------

    private Object[] reviewRow(Event e, Object stamp) {
        ObjectNode d = e.data();
        return new Object[] {e.key(), d.get("productName").asText(), d.get("username").asText(), d.get("rating").intValue(),
                text(d, "remarks"), dialect.timestamp(instant(d, "createdAt", e.timestamp())), e.eventId(), e.contentHash(),
                stamp};
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static List<Event> of(List<Event> events, EventType type) {
        List<Event> of = new ArrayList<>();
        for (Event e : events) {
            if (e.type() == type) {
                of.add(e);
            }
        }
        return of;
    }

    /**
     * The distinct values of the events of one type, in first-seen order. A loop: the stream form
     * (filter, map, distinct, toList) was 3% of a consumer thread under C1, which inlines little.
     */
    private static List<String> distinct(List<Event> events, EventType type, Function<Event, String> value) {
        Set<String> seen = new LinkedHashSet<>();
        for (Event e : events) {
            if (e.type() == type) {
                seen.add(value.apply(e));
            }
        }
        return new ArrayList<>(seen);
    }

    private static String text(ObjectNode d, String field) {
        return d.hasNonNull(field) ? d.get(field).asText() : null;
    }

    private static Instant instant(ObjectNode d, String field, Instant fallback) {
        return d.hasNonNull(field) ? EventParser.instant(d.get(field), field) : fallback;
    }
}
