package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ingestrouter.errors.PermanentFailure;
import com.ingestrouter.support.TestDatabase;
import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * On mysql-connector-j the BatchWriter builds the multi-row INSERT itself instead of the driver's batch
 * rewrite: the rows stored must be exactly those of a row-by-row write, in order (a key's last row
 * wins), split where the batch is too large for one statement, and a refused row must fail the batch as
 * the driver's rewrite did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchWriterOnMariaDbTest {
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount");
    private static final int[] TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.DECIMAL};
    private Database db;
    private BatchWriter writer;
    private BatchWriter.Statement upsert;

    @BeforeAll
    void open() {
        String url = TestDatabase.MARIADB.fresh("batch_writer");
        db = new Database(url, TestDatabase.MARIADB.user(), TestDatabase.MARIADB.password(), 2);
        db.jdbc().getJdbcTemplate().execute("CREATE TABLE t (id VARCHAR(20) PRIMARY KEY, name VARCHAR(10) NOT NULL,"
                + " note LONGTEXT, amount DECIMAL(12, 2)) ENGINE=InnoDB");
        writer = new BatchWriter(db);
        upsert = BatchWriter.Statement.of(db.dialect().upsert("t", COLUMNS, List.of("id"), Set.of()), COLUMNS, TYPES);
    }

    @AfterAll
    void close() {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.jdbc().getJdbcTemplate().execute("DELETE FROM t");
    }

    @Test
    void onlyAnInsertWithOneValuesGroupIsRepeated() {
        assertThat(upsert.repeatable()).isTrue();
        assertThat(upsert.sqlFor(3)).startsWith("INSERT INTO t (id, name, note, amount) VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?) ON DUPLICATE KEY UPDATE ");
        assertThat(BatchWriter.Statement.of(db.dialect().insertIfAbsent("t", COLUMNS, List.of("id")), COLUMNS, TYPES)
                .repeatable()).isFalse();
        assertThat(BatchWriter.Statement.of("UPDATE t SET name = :name WHERE id = :id", COLUMNS, TYPES).repeatable()).isFalse();
    }

    @Test
    void aLargeBatchIsStoredAsRowByRowWouldStoreIt() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 4 * BatchWriter.MAX_ROWS + 7; i++) {
            // Text the statement must escape, characters beyond Latin-1, nulls and decimals.
            rows.add(new Object[] {"k" + (i % 1500), "n" + i % 100, i % 3 == 0 ? null : "it's \\ \"q\" \u00e9\u4e2d\uD83D\uDE00 " + i,
                    i % 5 == 0 ? null : new BigDecimal(i).movePointLeft(2)});
        }
        db.inTransaction(() -> writer.batch(upsert, rows));

        List<Map<String, Object>> stored = db.jdbc().getJdbcTemplate().queryForList("SELECT id, name, note, amount FROM t ORDER BY id");
        Map<String, Object[]> last = new java.util.TreeMap<>();
        rows.forEach(r -> last.put((String) r[0], r));
        assertThat(stored).hasSize(last.size());
        int i = 0;
        for (Object[] expected : last.values()) {
            Map<String, Object> row = stored.get(i++);
            assertThat(row.get("id")).isEqualTo(expected[0]);
            assertThat(row.get("name")).isEqualTo(expected[1]);
            assertThat(row.get("note")).isEqualTo(expected[2]);
            assertThat(row.get("amount") == null ? null : ((BigDecimal) row.get("amount")).compareTo((BigDecimal) expected[3]))
                    .isEqualTo(expected[3] == null ? null : 0);
        }
    }

    @Test
    void rowsBeyondOneStatementsSizeGoInSeveral() {
        String big = "x".repeat((int) (BatchWriter.STATEMENT_BYTES / 6));
        List<Object[]> rows = List.of(new Object[] {"a", "a", big, null}, new Object[] {"b", "b", big, null},
                new Object[] {"c", "c", big + big, null}, new Object[] {"a", "a2", "small", null});
        db.inTransaction(() -> writer.batch(upsert, rows));

        assertThat(db.jdbc().getJdbcTemplate().queryForList("SELECT id, name, LENGTH(note) AS n FROM t ORDER BY id"))
                .containsExactly(Map.of("id", "a", "name", "a2", "n", 5), Map.of("id", "b", "name", "b", "n", big.length()),
                        Map.of("id", "c", "name", "c", "n", 2 * big.length()));
    }

    @Test
    void aRefusedRowFailsTheWholeBatch() {
        List<Object[]> rows = List.of(new Object[] {"a", "fine", null, null}, new Object[] {"b", "far too long", null, null});
        assertThatThrownBy(() -> db.inTransaction(() -> writer.batch(upsert, rows))).isInstanceOf(PermanentFailure.class);
        assertThat(db.jdbc().getJdbcTemplate().queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isZero();
    }
}
