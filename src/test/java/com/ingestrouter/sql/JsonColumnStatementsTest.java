package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** How each dialect binds a JSON text column in an insert-if-absent; SQL Server pinned as text. */
class JsonColumnStatementsTest {
    private static final List<String> COLUMNS = List.of("id", "data", "level");
    private static final List<String> KEY = List.of("id");
    private static final Set<String> JSON = Set.of("data");

    @Test
    void eachDialectBindsJsonTextItsOwnWay() {
        assertThat(new PostgresDialect().insertIfAbsent("logs", COLUMNS, KEY, JSON)).isEqualTo(
                "INSERT INTO logs (id, data, level) VALUES (:id, CAST(:data AS jsonb), :level) ON CONFLICT (id) DO NOTHING");
        assertThat(new MySqlDialect().insertIfAbsent("logs", COLUMNS, KEY, JSON)).isEqualTo(
                "INSERT INTO logs (id, data, level) SELECT :id, :data, :level FROM DUAL"
                        + " WHERE NOT EXISTS (SELECT 1 FROM logs WHERE id = :id)");
        assertThat(new SqlServerDialect().insertIfAbsent("logs", COLUMNS, KEY, JSON)).isEqualTo(
                "INSERT INTO logs (id, data, level) SELECT :id, :data, :level"
                        + " WHERE NOT EXISTS (SELECT 1 FROM logs WITH (UPDLOCK, HOLDLOCK) WHERE id = :id)");
        assertThat(new H2Dialect().insertIfAbsent("logs", COLUMNS, KEY, JSON)).contains("(:id, :data FORMAT JSON, :level)");
    }

    @Test
    void uuidsAreNativeWhereTheTypeExistsAndTextElsewhere() {
        UUID id = UUID.randomUUID();
        assertThat(new PostgresDialect().uuid(id)).isEqualTo(id);
        assertThat(new H2Dialect().uuid(id)).isEqualTo(id);
        assertThat(new MySqlDialect().uuid(id)).isEqualTo(id.toString());
        assertThat(new SqlServerDialect().uuid(id)).isEqualTo(id.toString());
    }

    @Test
    void mysqlTimestampsKeepMicrosecondsAsUtcText() {
        assertThat(new MySqlDialect().timestamp(Instant.parse("2026-01-31T12:00:00.123456Z")))
                .isEqualTo("2026-01-31 12:00:00.123456");
    }

    @Test
    void h2StoresTheTextAsAJsonValueNotAStringAndInsertsOnce() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:json_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(ds);
        jdbc.getJdbcTemplate().execute("CREATE TABLE logs (id UUID PRIMARY KEY, data JSON NOT NULL, level VARCHAR(64))");
        H2Dialect h2 = new H2Dialect();
        String insert = h2.insertIfAbsent("logs", COLUMNS, KEY, JSON);
        Map<String, Object> row = Map.of("id", h2.uuid(UUID.randomUUID()), "data", "{\"a\": [1, 2]}", "level", "info");
        assertThat(jdbc.update(insert, row)).isEqualTo(1);
        assertThat(jdbc.update(insert, row)).isZero();
        assertThat(jdbc.queryForObject("SELECT JSON_OBJECT('k': data) FROM logs", Map.of(), String.class))
                .isEqualTo("{\"k\":{\"a\":[1,2]}}");
    }
}
