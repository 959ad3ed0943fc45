package com.ingestrouter.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ingestrouter.sql.BatchWriter;
import com.ingestrouter.sql.Dialect;
import java.sql.Types;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sink's parameters as an operator writes them in YAML, and what start-up refuses. */
class SinkSpecTest {

    @Test
    void columnsNameTheirSourceAndTypeOrDefaultToTheColumnAsAString() {
        List<Column> columns = Column.parseAll("shipment_id=shipmentId, carrier,\n updated_at=updatedAt:timestamp,"
                + " id=messageId:uuid, data=$:json, source=property:pullUrl, trace=header:X-Trace:string,"
                + " level:lowercase, city=/address/city, at=now:timestamp");
        assertThat(columns).containsExactly(
                new Column("shipment_id", "shipmentId", ColumnType.STRING),
                new Column("carrier", "carrier", ColumnType.STRING),
                new Column("updated_at", "updatedAt", ColumnType.TIMESTAMP),
                new Column("id", "messageId", ColumnType.UUID),
                new Column("data", "$", ColumnType.JSON),
                new Column("source", "property:pullUrl", ColumnType.STRING),
                new Column("trace", "header:X-Trace", ColumnType.STRING),
                new Column("level", "level", ColumnType.LOWERCASE),
                new Column("city", "/address/city", ColumnType.STRING),
                new Column("at", "now", ColumnType.TIMESTAMP));
    }

    @Test
    void identifiersThatAreNotPlainNamesAreRefused() {
        assertThatThrownBy(() -> SinkSpec.parse("posts; DROP TABLE x", "id", "id", "upsert", null))
                .hasMessageContaining("table 'posts; DROP TABLE x' is not a plain SQL identifier");
        assertThatThrownBy(() -> SinkSpec.parse("posts", "id", "id, \"name\"", "upsert", null))
                .hasMessageContaining("is not a plain SQL identifier");
        assertThatThrownBy(() -> SinkSpec.parse("posts", "id", "id=a b", "upsert", null))
                .hasMessageContaining("is not a field name");
        assertThatThrownBy(() -> SinkSpec.parse("posts", "id", "id:datetime", "upsert", null))
                .hasMessageContaining("unknown column type 'datetime'");
    }

    @Test
    void keysModesAndRefusedTablesAreChecked() {
        assertThatThrownBy(() -> SinkSpec.parse("t", "", "id", "upsert", null)).hasMessageContaining("needs a key");
        assertThatThrownBy(() -> SinkSpec.parse("t", "nope", "id", "upsert", null)).hasMessageContaining("key column nope");
        assertThatThrownBy(() -> SinkSpec.parse("t", "id", "id", "merge", null)).hasMessageContaining("unknown mode 'merge'");
        assertThatThrownBy(() -> SinkSpec.parse("t", "id", "id", "upsert", "refused"))
                .hasMessageContaining("refusedTable goes with mode insert-if-absent");
        assertThatThrownBy(() -> SinkSpec.parse("t", "id", "id, id", "upsert", null)).hasMessageContaining("twice");
        assertThat(SinkSpec.parse("t", "", "a, b", "append", null).key()).isEmpty();
        assertThat(SinkSpec.parse("t", "a, b", "a, b, c", null, null).mode()).isEqualTo(SinkMode.UPSERT);
    }

    /** Every dialect's statement compiles to positional markers over the sink's columns. */
    @Test
    void dialectStatementsCompileToPositionalMarkersInColumnOrder() {
        List<String> columns = List.of("id", "data", "level");
        int[] types = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR};
        for (String url : List.of("jdbc:mysql://h/d", "jdbc:postgresql://h/d", "jdbc:sqlserver://h;databaseName=d", "jdbc:h2:mem:x")) {
            Dialect dialect = Dialect.forUrl(url);
            BatchWriter.Statement upsert = BatchWriter.Statement.of(
                    dialect.upsert("logs", columns, List.of("id"), Set.of("data")), columns, types);
            assertThat(upsert.sql()).doesNotContain(":id").doesNotContain(":data");
            assertThat(upsert.slots()).startsWith(0, 1, 2);
            BatchWriter.Statement ifAbsent = BatchWriter.Statement.of(
                    dialect.insertIfAbsent("logs", columns, List.of("id"), Set.of("data")), columns, types);
            assertThat(ifAbsent.sql().chars().filter(c -> c == '?').count()).isEqualTo(ifAbsent.slots().length);
        }
        assertThat(BatchWriter.Statement.of(Dialect.forUrl("jdbc:mysql://h/d").insertIfAbsent("logs", columns, List.of("id"), Set.of()),
                columns, types).slots()).containsExactly(0, 1, 2, 0);
        assertThat(Dialect.forUrl("jdbc:postgresql://h/d").upsert("logs", columns, List.of("id"), Set.of("data")))
                .contains("CAST(:data AS jsonb)");
        assertThat(Dialect.forUrl("jdbc:sqlserver://h;databaseName=d").insert("logs", columns, Set.of()))
                .isEqualTo("INSERT INTO logs (id, data, level) VALUES (:id, :data, :level)");
        assertThatThrownBy(() -> BatchWriter.Statement.of("INSERT INTO t (x) VALUES (:x)", columns, types))
                .hasMessageContaining("statement names :x");
    }
}
