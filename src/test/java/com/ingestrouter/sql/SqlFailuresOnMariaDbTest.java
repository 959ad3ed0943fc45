package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ingestrouter.errors.InfrastructureUnavailable;
import com.ingestrouter.support.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlFailuresOnMariaDbTest extends SqlFailuresContract {
    private static final String READER = System.getenv().getOrDefault("INGEST_IT_DB_PREFIX", "ingest_it") + "_reader";

    @Override
    TestDatabase kind() {
        return TestDatabase.MARIADB;
    }

    @Override
    List<String> schema() {
        return List.of("CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB",
                // utf8mb3 cannot hold a 4-byte character: "Incorrect string value" (1366).
                "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, name VARCHAR(5) CHARACTER SET utf8mb3, amount INT,"
                        + " CONSTRAINT chk_amount CHECK (amount >= 0), FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB",
                "CREATE TABLE locks (id INT PRIMARY KEY, v INT) ENGINE=InnoDB",
                "INSERT INTO locks VALUES (1, 0), (2, 0)");
    }

    @Override
    String shortLockTimeout() {
        return "SET SESSION innodb_lock_wait_timeout = 1";
    }

    @Override
    String readOnlyTransaction() {
        return "SET TRANSACTION READ ONLY";
    }

    @Override
    String unstorableText() {
        return "\uD83D\uDE00";
    }

    /** Read-only for this app: a user with no write grant (not SET GLOBAL read_only, on a shared server). */
    @Test
    void aUserWithoutWriteGrantsIsRetriedNotDeadLettered() {
        var admin = db.jdbc().getJdbcTemplate();
        String schema = url.substring(url.lastIndexOf('/') + 1);
        admin.execute("DROP USER IF EXISTS '" + READER + "'@'%'");
        admin.execute("CREATE USER '" + READER + "'@'%' IDENTIFIED BY 'reader'");
        admin.execute("GRANT SELECT ON " + schema + ".* TO '" + READER + "'@'%'");
        try (Database reader = new Database(url, READER, "reader", 1)) {
            assertThatThrownBy(() -> reader.inTransaction(() -> reader.jdbc().update(
                    "INSERT INTO parent (id) VALUES (7)", Map.of()))).isInstanceOf(InfrastructureUnavailable.class);
        } finally {
            admin.execute("DROP USER IF EXISTS '" + READER + "'@'%'");
        }
    }
}
