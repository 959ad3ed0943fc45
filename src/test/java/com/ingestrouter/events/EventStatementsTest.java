package com.ingestrouter.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.ingestrouter.sql.H2Dialect;
import com.ingestrouter.sql.MySqlDialect;
import com.ingestrouter.sql.PostgresDialect;
import com.ingestrouter.sql.SqlServerDialect;
import org.junit.jupiter.api.Test;

/**
 * Shape of the statements the events store runs. SQL Server cannot run on the development machines:
 * these checks are all it gets here (verified under compose only).
 */
class EventStatementsTest {

    @Test
    void sqlServerUpsertsAreMergeWithHoldlockAndNamedParameters() {
        var sql = new EventStore.Statements(new SqlServerDialect());
        assertThat(sql.upsertUser).isEqualTo("MERGE INTO users WITH (HOLDLOCK) AS target USING (VALUES (:user_id, :email,"
                + " :name, :first_name, :last_name, :created_at, :event_id, :content_hash, :updated_at)) AS source (user_id, email,"
                + " name, first_name, last_name, created_at, event_id, content_hash, updated_at) ON target.user_id = source.user_id"
                + " WHEN MATCHED THEN UPDATE SET target.email = source.email, target.name = source.name,"
                + " target.first_name = source.first_name, target.last_name = source.last_name,"
                + " target.created_at = source.created_at, target.event_id = source.event_id,"
                + " target.content_hash = source.content_hash,"
                + " target.updated_at = source.updated_at WHEN NOT MATCHED THEN INSERT (user_id, email, name,"
                + " first_name, last_name, created_at, event_id, content_hash, updated_at) VALUES (source.user_id, source.email,"
                + " source.name, source.first_name, source.last_name, source.created_at, source.event_id,"
                + " source.content_hash, source.updated_at);");
        for (String upsert : new String[] {sql.upsertOrder, sql.upsertPayment, sql.upsertAdjustment, sql.upsertStock,
                sql.upsertReview, sql.upsertSuperseded}) {
            assertThat(upsert).startsWith("MERGE INTO ").contains(" WITH (HOLDLOCK) AS target USING (VALUES (:")
                    .contains(" WHEN MATCHED THEN UPDATE SET ").contains(" WHEN NOT MATCHED THEN INSERT ").endsWith(");");
        }
        assertThat(new SqlServerDialect().page("SELECT * FROM users ORDER BY created_at DESC, user_id"))
                .endsWith("ORDER BY created_at DESC, user_id OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY");
    }

    @Test
    void everyDialectBindsValuesAndNeverPastesThem() {
        for (var dialect : new com.ingestrouter.sql.Dialect[] {new MySqlDialect(), new PostgresDialect(),
                new H2Dialect(), new SqlServerDialect()}) {
            for (String statement : new EventStore.Statements(dialect).all()) {
                assertThat(statement).as(dialect.name()).doesNotContain("'").contains(":");
            }
        }
        assertThat(new EventStore.Statements(new MySqlDialect()).upsertOrder).contains("ON DUPLICATE KEY UPDATE");
        assertThat(new EventStore.Statements(new PostgresDialect()).upsertOrder).contains("ON CONFLICT (order_id) DO UPDATE");
    }
}
