package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ingestrouter.errors.InfrastructureUnavailable;
import com.ingestrouter.errors.PermanentFailure;
import com.ingestrouter.support.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlFailuresOnPostgreSqlTest extends SqlFailuresContract {

    @Override
    TestDatabase kind() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    List<String> schema() {
        return List.of("CREATE TABLE parent (id INT PRIMARY KEY)",
                "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT REFERENCES parent (id), name VARCHAR(5),"
                        + " amount INT CONSTRAINT chk_amount CHECK (amount >= 0))",
                "CREATE TABLE locks (id INT PRIMARY KEY, v INT)",
                "INSERT INTO locks VALUES (1, 0), (2, 0)",
                "CREATE TABLE deferred (id INT, CONSTRAINT deferred_unique UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)");
    }

    @Override
    String shortLockTimeout() {
        return "SET LOCAL lock_timeout = '1s'";
    }

    @Override
    String readOnlyTransaction() {
        return "SET TRANSACTION READ ONLY";
    }

    /** PostgreSQL text cannot hold NUL: "invalid byte sequence for encoding UTF8: 0x00" (22021). */
    @Override
    String unstorableText() {
        return "a\u0000b";
    }

    /** The database itself set read-only (default_transaction_read_only) by an operator. */
    @Test
    void aReadOnlyDatabaseIsRetriedNotDeadLettered() {
        String name = url.substring(url.lastIndexOf('/') + 1);
        db.jdbc().getJdbcTemplate().execute("ALTER DATABASE " + name + " SET default_transaction_read_only = on");
        try (Database fresh = new Database(url, kind().user(), kind().password(), 1)) {
            assertThatThrownBy(() -> fresh.inTransaction(() -> fresh.jdbc().update(
                    "INSERT INTO parent (id) VALUES (8)", Map.of()))).isInstanceOf(InfrastructureUnavailable.class);
        } finally {
            db.jdbc().getJdbcTemplate().execute("ALTER DATABASE " + name + " SET default_transaction_read_only = off");
        }
    }

    /** A deferred constraint fails at commit: the row's fault, so a dead letter, not a retry. */
    @Test
    void aConstraintCheckedAtCommitIsRejected() {
        db.jdbc().getJdbcTemplate().execute("DELETE FROM deferred");
        assertThatThrownBy(() -> db.inTransaction(() -> {
            db.jdbc().update("INSERT INTO deferred (id) VALUES (1)", Map.of());
            return db.jdbc().update("INSERT INTO deferred (id) VALUES (1)", Map.of());
        })).isInstanceOf(PermanentFailure.class);
    }
}
