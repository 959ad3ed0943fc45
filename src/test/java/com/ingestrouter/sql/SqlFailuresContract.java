package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ingestrouter.errors.InfrastructureUnavailable;
import com.ingestrouter.errors.MissingParentException;
import com.ingestrouter.errors.PermanentFailure;
import com.ingestrouter.support.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dialect's error table against the real server: each refusal, a missing parent, an injected
 * deadlock, a lock timeout and a read-only database end as the failure the policy expects (dead letter,
 * retry window, retry in place).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqlFailuresContract {
    Database db;
    String url;

    abstract TestDatabase kind();

    /** parent(id), child(id, parent_id FK, name VARCHAR(5), amount CHECK >= 0), locks(id, v) with rows 1, 2. */
    abstract List<String> schema();

    /** Makes the current transaction give up on a row lock after about a second. */
    abstract String shortLockTimeout();

    /** Makes the transaction just begun read-only (its first statement). */
    abstract String readOnlyTransaction();

    /** A value this database refuses as text ("Incorrect string value", an invalid byte sequence). */
    abstract String unstorableText();

    @BeforeAll
    void open() {
        url = kind().fresh("sql_failures");
        db = new Database(url, kind().user(), kind().password(), 4);
        schema().forEach(statement -> db.jdbc().getJdbcTemplate().execute(statement));
    }

    @AfterAll
    void close() {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.jdbc().getJdbcTemplate().execute("DELETE FROM child");
        db.jdbc().getJdbcTemplate().execute("DELETE FROM parent");
        db.jdbc().getJdbcTemplate().update("INSERT INTO parent (id) VALUES (1)");
    }

    private void insertChild(int id, Integer parent, String name, int amount) {
        db.inTransaction(() -> db.jdbc().update(
                "INSERT INTO child (id, parent_id, name, amount) VALUES (:id, :parent, :name, :amount)",
                new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
                        .addValue("id", id).addValue("parent", parent).addValue("name", name).addValue("amount", amount)));
    }

    @Test
    void aDuplicateKeyIsRejected() {
        insertChild(1, 1, "a", 1);
        assertThatThrownBy(() -> insertChild(1, 1, "b", 1)).isInstanceOf(PermanentFailure.class);
    }

    @Test
    void aCheckViolationIsRejected() {
        assertThatThrownBy(() -> insertChild(2, 1, "a", -1)).isInstanceOf(PermanentFailure.class);
    }

    @Test
    void aTooLongValueIsRejected() {
        assertThatThrownBy(() -> insertChild(3, 1, "much too long", 1)).isInstanceOf(PermanentFailure.class);
    }

    @Test
    void textTheDatabaseCannotStoreIsRejected() {
        assertThatThrownBy(() -> insertChild(4, 1, unstorableText(), 1)).isInstanceOf(PermanentFailure.class);
    }

    @Test
    void aMissingParentIsAMissingParent() {
        assertThatThrownBy(() -> insertChild(5, 99, "a", 1)).isInstanceOf(MissingParentException.class);
    }

    @Test
    void theDeadlockVictimIsRetriedNotDeadLettered() throws Exception {
        CyclicBarrier bothHoldOneRow = new CyclicBarrier(2);
        List<CompletableFuture<Void>> sides = new ArrayList<>();
        for (int[] order : new int[][] {{1, 2}, {2, 1}}) {
            sides.add(CompletableFuture.runAsync(() -> db.inTransaction(() -> {
                lock(order[0]);
                await(bothHoldOneRow);
                lock(order[1]);
                return null;
            })));
        }
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Void> side : sides) {
            try {
                side.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        // The database picks one victim; the other transaction goes through.
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).isInstanceOf(InfrastructureUnavailable.class);
    }

    @Test
    void aLockTimeoutIsRetriedNotDeadLettered() throws Exception {
        try (Connection holder = db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().executeUpdate("UPDATE locks SET v = v + 1 WHERE id = 1");
            assertThatThrownBy(() -> db.inTransaction(() -> {
                db.jdbc().getJdbcTemplate().execute(shortLockTimeout());
                return lock(1);
            })).isInstanceOf(InfrastructureUnavailable.class);
            holder.rollback();
        }
    }

    @Test
    void aReadOnlyTransactionIsRetriedNotDeadLettered() {
        assertThatThrownBy(() -> db.inTransaction(() -> {
            db.jdbc().getJdbcTemplate().execute(readOnlyTransaction());
            return db.jdbc().update("INSERT INTO child (id, parent_id, name, amount) VALUES (6, 1, 'a', 1)", Map.of());
        })).isInstanceOf(InfrastructureUnavailable.class);
    }

    int lock(int id) {
        return db.jdbc().update("UPDATE locks SET v = v + 1 WHERE id = :id", Map.of("id", id));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
