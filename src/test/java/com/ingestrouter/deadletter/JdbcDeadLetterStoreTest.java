package com.ingestrouter.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.sql.Database;
import com.ingestrouter.support.TestDatabase;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The embedded-mode dead-letter table, on the engines it runs on: count, list, remove by id. */
class JdbcDeadLetterStoreTest {

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "MARIADB"})
    void countsListsAndRemovesOnePipelinesEntries(TestDatabase kind) {
        try (Database db = new Database(kind.fresh("dead_letter_store"), kind.user(), kind.password(), 2)) {
            db.migrate();
            JdbcDeadLetterStore store = new JdbcDeadLetterStore(db, new ObjectMapper());
            DeadLetter first = letter("payments");
            DeadLetter second = letter("payments");
            assertThat(store.append(first)).isTrue();
            assertThat(store.append(second)).isTrue();
            assertThat(store.append(letter("logs"))).isTrue();

            assertThat(store.count("payments")).isEqualTo(2);
            assertThat(store.counts()).containsEntry("payments", 2L).containsEntry("logs", 1L);
            assertThat(store.remove("payments", first.id())).isTrue();
            assertThat(store.remove("payments", first.id())).isFalse();
            assertThat(store.count("payments")).isEqualTo(1);
            assertThat(store.list("payments", 0, 10)).extracting(DeadLetter::id).containsExactly(second.id());
        }
    }

    private static DeadLetter letter(String pipeline) {
        return new DeadLetter(UUID.randomUUID().toString(), "7", pipeline, Map.of("queue", pipeline), "{\"user_id\": -1}",
                Map.of("type", "InvalidMessageException", "message", "bad"), 1, "2026-11-25T05:00:00Z", pipeline + ".record");
    }
}
