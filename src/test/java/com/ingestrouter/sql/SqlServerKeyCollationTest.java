package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No SQL Server engine runs here, so V4's T-SQL is checked against V1..V3 as text: every textual
 * column under a primary, unique or foreign key or an index gets a binary collation, and everything
 * SQL Server makes V4 drop to alter those columns is created again.
 */
class SqlServerKeyCollationTest {
    private static final Pattern TABLE = Pattern.compile("CREATE TABLE (\\w+) \\((.*?)\\n\\);", Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile("^\\s+(\\w+)\\s+(N?VARCHAR|N?CHAR)\\((\\d+)\\)(.*)$", Pattern.MULTILINE);
    private static final Pattern KEY_LIST = Pattern.compile("(?:PRIMARY KEY|UNIQUE|FOREIGN KEY) \\(([^)]*)\\)");
    private static final Pattern INDEX = Pattern.compile("CREATE INDEX (\\w+) ON (\\w+) \\(([^)]*)\\)");
    private static final Pattern NAMED = Pattern.compile("CONSTRAINT (\\w+) (?:PRIMARY KEY|UNIQUE|FOREIGN KEY)");

    @Test
    void everyTextualKeyOrIndexColumnGetsABinaryCollationWithoutGettingShorter() throws IOException {
        String v4 = migration("V4__keys_compare_byte_exactly.sql");
        Map<String, Integer> keyColumns = textualKeyColumns();
        assertThat(keyColumns).containsKeys("users.user_id", "orders.user_id", "order_items.order_id",
                "payments.payment_key", "processed_events.event_id", "product_reviews.review_id", "inventory.sku");
        keyColumns.forEach((column, length) -> {
            String[] tc = column.split("\\.");
            Matcher alter = Pattern.compile("ALTER TABLE " + tc[0] + " ALTER COLUMN " + tc[1]
                    + " NVARCHAR\\((\\d+)\\) COLLATE Latin1_General_100_BIN2 (NOT )?NULL;").matcher(v4);
            assertThat(alter.find()).as(column).isTrue();
            assertThat(Integer.parseInt(alter.group(1))).as(column + " length").isGreaterThanOrEqualTo(length);
        });
    }

    @Test
    void whatV4DropsItCreatesAgain() throws IOException {
        String v4 = migration("V4__keys_compare_byte_exactly.sql");
        for (Matcher dropped = Pattern.compile("DROP CONSTRAINT (\\w+);").matcher(v4); dropped.find(); ) {
            assertThat(v4).contains("ADD CONSTRAINT " + dropped.group(1) + " ");
        }
        for (Matcher dropped = Pattern.compile("DROP INDEX (\\w+) ON (\\w+);").matcher(v4); dropped.find(); ) {
            assertThat(v4).contains("CREATE INDEX " + dropped.group(1) + " ON " + dropped.group(2) + " (");
        }
        // The unnamed primary keys and unique constraints are dropped from the catalog, then re-created.
        String earlier = migration("V1__foundation.sql") + migration("V2__events.sql") + migration("V3__logs_posts.sql");
        for (String table : List.of("processed_events", "users", "orders", "order_items", "payments", "inventory",
                "inventory_adjustments", "product_reviews")) {
            assertThat(v4).contains("N'" + table + "'").contains("ADD CONSTRAINT pk_" + table + " PRIMARY KEY (");
        }
        assertThat(v4).contains("ADD CONSTRAINT uq_users_email UNIQUE (email)", "ADD CONSTRAINT uq_dead_letters_id UNIQUE (id)");
        for (Matcher named = NAMED.matcher(earlier); named.find(); ) {
            String name = named.group(1);
            if (name.startsWith("fk_") || name.startsWith("uq_")) {
                assertThat(v4).as(name).contains("ADD CONSTRAINT " + name + " ");
            }
        }
        for (Matcher index = INDEX.matcher(earlier); index.find(); ) {
            boolean touchesAKey = textualKeyColumns().keySet().stream().anyMatch(c -> c.startsWith(index.group(2) + ".")
                    && List.of(index.group(3).split(",\\s*")).contains(c.substring(c.indexOf('.') + 1)));
            if (touchesAKey) {
                assertThat(v4).as(index.group(1)).contains("DROP INDEX " + index.group(1) + " ON " + index.group(2) + ";")
                        .contains("CREATE INDEX " + index.group(1) + " ON " + index.group(2) + " (" + index.group(3) + ")");
            }
        }
    }

    /** table.column of each VARCHAR/CHAR column under a key or an index in V1..V3, with its length. */
    private static Map<String, Integer> textualKeyColumns() throws IOException {
        String earlier = migration("V1__foundation.sql") + migration("V2__events.sql") + migration("V3__logs_posts.sql");
        Map<String, Integer> result = new LinkedHashMap<>();
        for (Matcher table = TABLE.matcher(earlier); table.find(); ) {
            String name = table.group(1);
            String body = table.group(2);
            Map<String, Integer> textual = new LinkedHashMap<>();
            Set<String> keyed = new LinkedHashSet<>();
            for (Matcher column = COLUMN.matcher(body); column.find(); ) {
                textual.put(column.group(1), Integer.parseInt(column.group(3)));
                if (column.group(4).contains("PRIMARY KEY") || column.group(4).contains("UNIQUE")) {
                    keyed.add(column.group(1));
                }
            }
            for (Matcher list = KEY_LIST.matcher(body); list.find(); ) {
                keyed.addAll(List.of(list.group(1).split(",\\s*")));
            }
            for (Matcher index = INDEX.matcher(earlier); index.find(); ) {
                if (index.group(2).equals(name)) {
                    keyed.addAll(List.of(index.group(3).split(",\\s*")));
                }
            }
            // logs.level is a filter value, lower-cased on write (LogRecords.level), not an id.
            keyed.remove(name.equals("logs") ? "level" : "");
            for (String column : new ArrayList<>(keyed)) {
                if (textual.containsKey(column)) {
                    result.put(name + "." + column, textual.get(column));
                }
            }
        }
        return result;
    }

    private static String migration(String file) throws IOException {
        try (InputStream in = SqlServerKeyCollationTest.class.getResourceAsStream("/db/migration/sqlserver/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
