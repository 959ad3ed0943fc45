package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestCases;
import com.ingestrouter.support.TestDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Keys that differ only in case (or in nothing a case-insensitive collation sees) are different keys on
 * every dialect, as they always were on PostgreSQL: V4 made MariaDB/MySQL and SQL Server compare them
 * byte for byte. Real engines: MariaDB, PostgreSQL, H2 (SQL Server: statement shape, in
 * SqlServerKeyCollationTest).
 */
class KeysCompareExactlyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TWO_ROWS_EACH = Map.of(
            "SELECT COUNT(*) FROM users", "2",
            "SELECT COUNT(*) FROM orders", "2",
            "SELECT COUNT(*) FROM order_items", "2",
            "SELECT COUNT(*) FROM payments", "2",
            "SELECT COUNT(*) FROM inventory", "2",
            "SELECT COUNT(*) FROM product_reviews", "2",
            "SELECT COUNT(*) FROM inventory_adjustments", "2");

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.class)
    void everyKeyThatDiffersOnlyInCaseIsItsOwnRow(TestDatabase database) throws Exception {
        try (RunningApp app = RunningApp.builder(Mode.EMBEDDED).database(database, "keys").start()) {
            for (String event : Files.readAllLines(TestCases.dir("keys").resolve("differ-only-in-case.jsonl"))) {
                assertThat(app.post("/produce", event).statusCode()).isEqualTo(202);
            }

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> TWO_ROWS_EACH.forEach((query, count) ->
                    assertThat(String.valueOf(app.jdbc().queryForObject(query, Object.class))).as(query).isEqualTo(count)));
            assertThat(app.jdbc().queryForList("SELECT name FROM users", String.class))
                    .containsExactlyInAnyOrder("Carol Upper", "carol lower");
            // The rows are the idempotency ledger (V5): event ids that differ only in case are two events.
            assertThat(app.jdbc().queryForList("SELECT event_id FROM users", String.class))
                    .containsExactlyInAnyOrder("ev-Carol", "ev-carol");
            assertThat(app.jdbc().queryForList("SELECT event_id FROM inventory_adjustments", String.class))
                    .containsExactlyInAnyOrder("ev-I1", "ev-i1");
            assertThat(app.jdbc().queryForList("SELECT quantity FROM inventory ORDER BY quantity", Long.class))
                    .containsExactly(10L, 20L);
            assertThat(app.jdbc().queryForList("SELECT COUNT(*) FROM dead_letters", Long.class)).containsExactly(0L);

            JsonNode carol = JSON.readTree(app.get("/users/Carol").body());
            assertThat(carol.get("user").get("name").asText()).isEqualTo("Carol Upper");
            assertThat(carol.get("recentOrders")).hasSize(1);
            assertThat(carol.get("recentOrders").get(0).get("orderId").asText()).isEqualTo("O-1");
            JsonNode reviews = JSON.readTree(app.get("/products/Mug/reviews").body());
            assertThat(reviews.toString()).contains("R-1").doesNotContain("r-1");
        }
    }

    /** An existing MariaDB at V3 keeps its rows; after V4 the lower-case twin is a second row, not an overwrite. */
    @Test
    void anExistingMariaDbKeepsItsRowsAndStopsMergingCaseTwins() throws Exception {
        String url = TestDatabase.MARIADB.fresh("keys_upgrade");
        Flyway.configure().dataSource(url, "root", "").locations("classpath:db/migration/mysql")
                .target("3").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "root", ""));
        jdbc.update("INSERT INTO users (user_id, email, name, event_id, updated_at)"
                + " VALUES ('Carol', 'Carol@example.com', 'Carol Upper', 'ev-old', CURRENT_TIMESTAMP(6))");
        jdbc.update("INSERT INTO orders (order_id, user_id, total, event_id, updated_at)"
                + " VALUES ('O-1', 'Carol', 1, 'ev-old-o', CURRENT_TIMESTAMP(6))");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE user_id = 'carol'", Long.class))
                .as("V3 compares case-insensitively").isEqualTo(1L);

        try (RunningApp app = RunningApp.builder(Mode.EMBEDDED).databaseUrl(TestDatabase.MARIADB, url).start()) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE user_id = 'carol'", Long.class)).isZero();
            List<String> lines = Files.readAllLines(TestCases.dir("keys").resolve("differ-only-in-case.jsonl"));
            assertThat(app.post("/produce", lines.get(1)).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(jdbc.queryForList("SELECT user_id FROM users ORDER BY user_id", String.class))
                            .containsExactly("Carol", "carol"));
            assertThat(jdbc.queryForObject("SELECT user_id FROM orders WHERE order_id = 'O-1'", String.class))
                    .isEqualTo("Carol");
        }
    }

    /** Every column under a primary, unique or foreign key on MariaDB compares bytes (utf8mb4_bin). */
    @Test
    void everyTextualKeyColumnOnMariaDbIsBinary() {
        String url = TestDatabase.MARIADB.fresh("keys_catalog");
        Flyway.configure().dataSource(url, "root", "").locations("classpath:db/migration/mysql").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "root", ""));
        List<Map<String, Object>> notBinary = jdbc.queryForList(
                "SELECT k.table_name, k.column_name, c.collation_name FROM information_schema.key_column_usage k"
                        + " JOIN information_schema.columns c ON c.table_schema = k.table_schema"
                        + " AND c.table_name = k.table_name AND c.column_name = k.column_name"
                        + " WHERE k.table_schema = DATABASE() AND c.collation_name IS NOT NULL"
                        + " AND c.collation_name <> 'utf8mb4_bin'");
        assertThat(notBinary).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.key_column_usage"
                + " WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL", Long.class))
                .as("the three foreign keys are back").isEqualTo(3L);
    }
}
