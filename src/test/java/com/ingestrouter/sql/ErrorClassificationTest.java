package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.ingestrouter.errors.InfrastructureUnavailable;
import com.ingestrouter.errors.MissingParentException;
import com.ingestrouter.errors.PermanentFailure;
import com.ingestrouter.support.TestCases;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TypeMismatchDataAccessException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Each dialect's table, code by code, from src/test/resources/sql/error-classification.csv; and the
 * mapping of Spring's exceptions onto the failure policy (SQL errors, errors without one, commit errors).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorClassificationTest {
    private static final Map<String, Dialect> DIALECTS = Map.of("mysql", new MySqlDialect(), "postgresql", new PostgresDialect(),
            "sqlserver", new SqlServerDialect(), "h2", new H2Dialect());
    private final Database h2 = new Database("jdbc:h2:mem:classification;DB_CLOSE_DELAY=-1", "", "", 1);

    @AfterAll
    void close() {
        h2.close();
    }

    record Row(String dialect, int code, String state, String message, SqlFailure expected) {
        @Override
        public String toString() {
            return dialect + " " + code + "/" + state + " -> " + expected;
        }
    }

    static Stream<Row> rows() throws IOException {
        return Files.readAllLines(TestCases.dir("sql").resolve("error-classification.csv")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> {
                    String[] parts = line.split(",");
                    String message = String.join(",", Arrays.copyOfRange(parts, 3, parts.length - 1));
                    return new Row(parts[0], Integer.parseInt(parts[1]), parts[2], message,
                            SqlFailure.valueOf(parts[parts.length - 1]));
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachCodeHasItsClass(Row row) {
        assertThat(DIALECTS.get(row.dialect()).classify(new SQLException(row.message(), row.state(), row.code())))
                .isEqualTo(row.expected());
    }

    @Test
    void everyEntryOfEveryTableHasARow() throws IOException {
        List<Row> rows = rows().toList();
        Set<Integer> mysql = codes(rows, "mysql");
        Set<Integer> sqlServer = codes(rows, "sqlserver");
        assertThat(mysql).containsAll(MySqlDialect.CODES.keySet());
        assertThat(sqlServer).containsAll(SqlServerDialect.CODES.keySet());
        assertThat(states(rows, "postgresql")).containsAll(PostgresDialect.CODES.keySet());
        assertThat(states(rows, "h2")).containsAll(H2Dialect.CODES.keySet());
    }

    private static Set<Integer> codes(List<Row> rows, String dialect) {
        return rows.stream().filter(r -> r.dialect().equals(dialect)).map(Row::code).collect(Collectors.toSet());
    }

    private static Set<String> states(List<Row> rows, String dialect) {
        return rows.stream().filter(r -> r.dialect().equals(dialect)).map(Row::state).collect(Collectors.toSet());
    }

    @Test
    void aSpringErrorWithoutADatabaseErrorIsTransientOnlyWhenSpringSaysSo() {
        assertThat(h2.translate(new QueryTimeoutException("timed out"))).isInstanceOf(InfrastructureUnavailable.class);
        // A bug or an unexpected value: left to the "unexpected" policy (retries, then a dead letter).
        IncorrectResultSizeDataAccessException size = new IncorrectResultSizeDataAccessException(1, 2);
        assertThat(h2.translate(size)).isSameAs(size);
        TypeMismatchDataAccessException type = new TypeMismatchDataAccessException("not a number");
        assertThat(h2.translate(type)).isSameAs(type);
    }

    @Test
    void aSqlErrorUnderASpringErrorGoesByTheTable() {
        assertThat(h2.translate(new DataIntegrityViolationException("x", new SQLException("parent missing", "23506"))))
                .isInstanceOf(MissingParentException.class);
        assertThat(h2.translate(new DataIntegrityViolationException("x", new SQLException("too long", "22001"))))
                .isInstanceOf(PermanentFailure.class);
    }

    @Test
    void aFailedCommitGoesByTheTableAndIsTransientWithoutADatabaseError() {
        assertThatFailure(() -> {
            throw new TransactionSystemException("Could not commit JDBC transaction", new SQLException("deferred unique", "23505"));
        }).isInstanceOf(PermanentFailure.class);
        assertThatFailure(() -> {
            throw new TransactionSystemException("Could not commit JDBC transaction", new SQLException("connection lost", "08006"));
        }).isInstanceOf(InfrastructureUnavailable.class);
        assertThatFailure(() -> {
            throw new TransactionSystemException("commit outcome unknown");
        }).isInstanceOf(InfrastructureUnavailable.class);
    }

    private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertThatFailure(Runnable work) {
        return org.assertj.core.api.Assertions.assertThatThrownBy(() -> h2.inTransaction(() -> {
            work.run();
            return null;
        }));
    }
}
