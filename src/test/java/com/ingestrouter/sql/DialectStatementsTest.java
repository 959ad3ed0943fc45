package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Statement shapes per dialect. SQL Server cannot run here, so its T-SQL is pinned exactly and, minus
 * the lock hints H2 does not know, executed in H2's MSSQLServer mode to prove the MERGE does an upsert.
 */
class DialectStatementsTest {
    private static final List<String> COLUMNS = List.of("id", "name", "amount");
    private static final List<String> KEY = List.of("id");

    @Test
    void mysqlTimestampTextIsUtcWithMicroseconds() {
        var formatter = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(java.time.ZoneOffset.UTC);
        for (String at : new String[] {"2026-03-01T10:00:00Z", "2025-01-01T00:00:42.123456789Z", "1999-12-31T23:59:59.000001Z",
                "2026-07-04T01:02:03.5Z", "0999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"}) {
            java.time.Instant instant = java.time.Instant.parse(at);
            assertThat(new MySqlDialect().timestamp(instant)).as(at).isEqualTo(formatter.format(instant));
        }
    }

    @Test
    void jdbcUrlPicksTheDialect() {
        assertThat(Dialect.forUrl("jdbc:mysql://h/db")).isInstanceOf(MySqlDialect.class);
        assertThat(Dialect.forUrl("jdbc:mariadb://h/db")).isInstanceOf(MySqlDialect.class);
        assertThat(Dialect.forUrl("jdbc:postgresql://h/db")).isInstanceOf(PostgresDialect.class);
        assertThat(Dialect.forUrl("jdbc:sqlserver://h;databaseName=db")).isInstanceOf(SqlServerDialect.class);
        assertThat(Dialect.forUrl("jdbc:h2:mem:x")).isInstanceOf(H2Dialect.class);
        assertThatThrownBy(() -> Dialect.forUrl("jdbc:oracle:thin:@h")).hasMessageContaining("Unsupported JDBC URL");
    }

    @Test
    void sqlServerUpsertIsAMergeHoldingTheKeyRangeLock() {
        assertThat(new SqlServerDialect().upsert("t", COLUMNS, KEY)).isEqualTo(
                "MERGE INTO t WITH (HOLDLOCK) AS target USING (VALUES (:id, :name, :amount)) AS source (id, name, amount)"
                        + " ON target.id = source.id"
                        + " WHEN MATCHED THEN UPDATE SET target.name = source.name, target.amount = source.amount"
                        + " WHEN NOT MATCHED THEN INSERT (id, name, amount) VALUES (source.id, source.name, source.amount);");
    }

    @Test
    void sqlServerInsertIfAbsentLocksTheKeyBetweenCheckAndInsert() {
        assertThat(new SqlServerDialect().insertIfAbsent("t", COLUMNS, KEY)).isEqualTo(
                "INSERT INTO t (id, name, amount) SELECT :id, :name, :amount"
                        + " WHERE NOT EXISTS (SELECT 1 FROM t WITH (UPDLOCK, HOLDLOCK) WHERE id = :id)");
        assertThat(new SqlServerDialect().page("SELECT * FROM t ORDER BY id"))
                .isEqualTo("SELECT * FROM t ORDER BY id OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY");
    }

    @Test
    void sqlServerMergeUpsertsWhenRunWithoutLockHints() {
        var jdbc = new NamedParameterJdbcTemplate(new DriverManagerDataSource(
                "jdbc:h2:mem:mssql-shape;MODE=MSSQLServer;DB_CLOSE_DELAY=-1", "sa", ""));
        jdbc.getJdbcTemplate().execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(19,4))");
        String merge = new SqlServerDialect().upsert("t", COLUMNS, KEY).replace(" WITH (HOLDLOCK)", "");

        jdbc.update(merge, Map.of("id", 1, "name", "first", "amount", 1));
        jdbc.update(merge, Map.of("id", 1, "name", "second", "amount", 2));

        assertThat(jdbc.getJdbcTemplate().queryForList("SELECT name FROM t", String.class)).containsExactly("second");
    }

    @Test
    void postgresUsesOnConflict() {
        assertThat(new PostgresDialect().upsert("t", COLUMNS, KEY)).isEqualTo(
                "INSERT INTO t (id, name, amount) VALUES (:id, :name, :amount)"
                        + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, amount = EXCLUDED.amount");
        assertThat(new PostgresDialect().insertIfAbsent("t", COLUMNS, KEY))
                .endsWith("ON CONFLICT (id) DO NOTHING");
    }

    @Test
    void mysqlUsesOnDuplicateKeyAndNeverInsertIgnore() {
        assertThat(new MySqlDialect().upsert("t", COLUMNS, KEY)).isEqualTo(
                "INSERT INTO t (id, name, amount) VALUES (:id, :name, :amount)"
                        + " ON DUPLICATE KEY UPDATE name = VALUES(name), amount = VALUES(amount)");
        assertThat(new MySqlDialect().insertIfAbsent("t", COLUMNS, KEY)).doesNotContain("IGNORE");
    }

    @Test
    void errorsAreClassifiedPerDialect() {
        assertThat(new MySqlDialect().classify(new SQLException("fk", "23000", 1452))).isEqualTo(SqlFailure.MISSING_PARENT);
        assertThat(new MySqlDialect().classify(new SQLException("dup", "23000", 1062))).isEqualTo(SqlFailure.REJECTED);
        assertThat(new MySqlDialect().classify(new SQLException("deadlock", "40001", 1213))).isEqualTo(SqlFailure.TRANSIENT);
        assertThat(new MySqlDialect().classify(new SQLException("gone", "08S01", 0))).isEqualTo(SqlFailure.TRANSIENT);
        assertThat(new PostgresDialect().classify(new SQLException("fk", "23503"))).isEqualTo(SqlFailure.MISSING_PARENT);
        assertThat(new PostgresDialect().classify(new SQLException("too long", "22001"))).isEqualTo(SqlFailure.REJECTED);
        assertThat(new PostgresDialect().classify(new SQLException("conn", "08006"))).isEqualTo(SqlFailure.TRANSIENT);
        assertThat(new SqlServerDialect().classify(new SQLException(
                "The INSERT statement conflicted with the FOREIGN KEY constraint", "23000", 547))).isEqualTo(SqlFailure.MISSING_PARENT);
        assertThat(new SqlServerDialect().classify(new SQLException(
                "The INSERT statement conflicted with the CHECK constraint", "23000", 547))).isEqualTo(SqlFailure.REJECTED);
        assertThat(new SqlServerDialect().classify(new SQLException("deadlock victim", "40001", 1205))).isEqualTo(SqlFailure.TRANSIENT);
        assertThat(new H2Dialect().classify(new SQLException("fk", "23506"))).isEqualTo(SqlFailure.MISSING_PARENT);
    }
}
