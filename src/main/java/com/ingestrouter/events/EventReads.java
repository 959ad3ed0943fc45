package com.ingestrouter.events;

import com.ingestrouter.errors.NotFoundException;
import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.http.Page;
import com.ingestrouter.sql.Database;
import com.ingestrouter.sql.Dialect;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The read API over the events tables: GET /users/{id}, /users/recent, /orders/{id}, /reviews/{id},
 * /products/{name}/reviews (routes/events-read.camel.yaml). Answers are JSON; a missing entity is
 * 404 {"error": ...}.
 */
public final class EventReads {
    static final int RECENT_ORDERS = 5;
    static final int DEFAULT_LIMIT = 5;
    static final int MAX_LIMIT = 100;

    private final Database db;
    private final Dialect dialect;
    private final HttpErrors http;

    public EventReads(Database db, HttpErrors http) {
        this.db = db;
        this.dialect = db.dialect();
        this.http = http;
    }

    /** GET /users/{id}, and GET /users/recent (a user whose id is "recent" is not reachable here). */
    public void user(Exchange exchange) {
        String id = pathParam(exchange, "id");
        if ("recent".equals(id)) {
            recentUsers(exchange);
            return;
        }
        List<Map<String, Object>> users = db.query(() -> db.jdbc().query(
                "SELECT * FROM users WHERE user_id = :id", Map.of("id", id), (rs, i) -> user(rs)));
        if (users.isEmpty()) {
            throw new NotFoundException("user not found");
        }
        List<Map<String, Object>> orders = db.query(() -> db.jdbc().query(
                dialect.page("SELECT * FROM orders WHERE user_id = :id ORDER BY placed_at DESC, order_id"),
                Map.of("id", id, "limit", RECENT_ORDERS, "offset", 0), (rs, i) -> order(rs)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", users.get(0));
        body.put("recentOrders", orders);
        http.answer(exchange, 200, body);
    }

    /** Newest first; a limit over {@value #MAX_LIMIT} gives {@value #MAX_LIMIT}. */
    private void recentUsers(Exchange exchange) {
        int limit = Page.of(exchange, DEFAULT_LIMIT, MAX_LIMIT, true).limit();
        List<Map<String, Object>> users = db.query(() -> db.jdbc().query(
                dialect.page("SELECT * FROM users ORDER BY created_at DESC, user_id"),
                Map.of("limit", limit, "offset", 0), (rs, i) -> user(rs)));
        http.answer(exchange, 200, users);
    }

    /** GET /orders/{id}: the order with its items, and its latest payment when there is one. */
    public void order(Exchange exchange) {
        String id = pathParam(exchange, "id");
        List<Map<String, Object>> orders = db.query(() -> db.jdbc().query(
                "SELECT * FROM orders WHERE order_id = :id", Map.of("id", id), (rs, i) -> order(rs)));
        if (orders.isEmpty()) {
            throw new NotFoundException("order not found");
        }
        Map<String, Object> order = orders.get(0);
        order.put("items", db.query(() -> db.jdbc().query(
                "SELECT sku, quantity, price FROM order_items WHERE order_id = :id ORDER BY line_no",
                Map.of("id", id), (rs, i) -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("sku", rs.getString("sku"));
                    item.put("quantity", rs.getInt("quantity"));
                    item.put("price", money(rs.getBigDecimal("price")));
                    return item;
                })));
        List<Map<String, Object>> payments = db.query(() -> db.jdbc().query(
                dialect.page("SELECT * FROM payments WHERE order_id = :id ORDER BY updated_at DESC, payment_key"),
                Map.of("id", id, "limit", 1, "offset", 0), (rs, i) -> payment(rs)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("order", order);
        if (!payments.isEmpty()) {
            body.put("payment", payments.get(0));
        }
        http.answer(exchange, 200, body);
    }

    /** GET /reviews/{id}. */
    public void review(Exchange exchange) {
        String id = pathParam(exchange, "id");
        List<Map<String, Object>> reviews = db.query(() -> db.jdbc().query(
                "SELECT * FROM product_reviews WHERE review_id = :id", Map.of("id", id), (rs, i) -> review(rs)));
        if (reviews.isEmpty()) {
            throw new NotFoundException("review not found");
        }
        http.answer(exchange, 200, reviews.get(0));
    }

    /** GET /products/{name}/reviews: newest first; an unknown product has none. */
    public void productReviews(Exchange exchange) {
        String name = pathParam(exchange, "name");
        List<Map<String, Object>> reviews = db.query(() -> db.jdbc().query(
                "SELECT * FROM product_reviews WHERE product_name = :name ORDER BY created_at DESC, review_id",
                Map.of("name", name), (rs, i) -> review(rs)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("productName", name);
        body.put("reviews", reviews);
        body.put("count", reviews.size());
        http.answer(exchange, 200, body);
    }

    /**
     * Path parameters arrive as sent on the wire (still percent-encoded); a '+' in a path is a plus.
     */
    static String pathParam(Exchange exchange, String name) {
        String raw = exchange.getMessage().getHeader(name, "", String.class);
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private Map<String, Object> user(ResultSet rs) throws SQLException {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("userId", rs.getString("user_id"));
        user.put("email", rs.getString("email"));
        user.put("name", rs.getString("name"));
        putIfPresent(user, "firstName", rs.getString("first_name"));
        putIfPresent(user, "lastName", rs.getString("last_name"));
        user.put("createdAt", iso(dialect.instant(rs, "created_at")));
        user.put("updatedAt", iso(dialect.instant(rs, "updated_at")));
        return user;
    }

    private Map<String, Object> order(ResultSet rs) throws SQLException {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", rs.getString("order_id"));
        order.put("userId", rs.getString("user_id"));
        order.put("total", money(rs.getBigDecimal("total")));
        putIfPresent(order, "currency", rs.getString("currency"));
        putIfPresent(order, "status", rs.getString("status"));
        order.put("placedAt", iso(dialect.instant(rs, "placed_at")));
        return order;
    }

    private Map<String, Object> payment(ResultSet rs) throws SQLException {
        Map<String, Object> payment = new LinkedHashMap<>();
        putIfPresent(payment, "paymentId", rs.getString("payment_id"));
        payment.put("orderId", rs.getString("order_id"));
        payment.put("amount", money(rs.getBigDecimal("amount")));
        putIfPresent(payment, "currency", rs.getString("currency"));
        payment.put("status", rs.getString("status"));
        putIfPresent(payment, "paymentMethod", rs.getString("payment_method"));
        payment.put("settledAt", iso(dialect.instant(rs, "settled_at")));
        return payment;
    }

    private Map<String, Object> review(ResultSet rs) throws SQLException {
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("reviewId", rs.getString("review_id"));
        review.put("productName", rs.getString("product_name"));
        review.put("username", rs.getString("username"));
        review.put("rating", rs.getInt("rating"));
        putIfPresent(review, "remarks", rs.getString("remarks"));
        review.put("createdAt", iso(dialect.instant(rs, "created_at")));
        return review;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** DECIMAL(19,4) without the padding zeros: 12.5000 -> 12.5, 10.0000 -> 10. */
    static BigDecimal money(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal plain = value.stripTrailingZeros();
        return plain.scale() < 0 ? plain.setScale(0) : plain;
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Used by the shape tests: the read queries are plain SQL plus the dialect's paging. */
    static List<String> pagedQueries(Dialect dialect) {
        List<String> queries = new ArrayList<>();
        queries.add(dialect.page("SELECT * FROM users ORDER BY created_at DESC, user_id"));
        queries.add(dialect.page("SELECT * FROM orders WHERE user_id = :id ORDER BY placed_at DESC, order_id"));
        return queries;
    }
}
