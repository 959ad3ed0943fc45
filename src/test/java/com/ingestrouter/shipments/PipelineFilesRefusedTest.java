package com.ingestrouter.shipments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A broken pipeline file refuses start-up, before any message is read, with the file, the line of the
 * block and the reason. Each case is the shipments example with one mistake an operator could make.
 */
class PipelineFilesRefusedTest {
    private static final String ROUTES = "shipments.camel.yaml";
    private static final String SCHEMA = "schemas/shipments/shipment.json";

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("misspelt parameter", ROUTES, "              table: shipments", "              tabel: shipments",
                        "line 58: ingest-sql-sink: unknown parameter 'tabel'"),
                Arguments.of("missing required parameter", ROUTES, "              table: shipments\n", "",
                        "line 58: ingest-sql-sink: missing required parameter 'table'"),
                Arguments.of("column the table does not have", ROUTES, "                carrier,", "                carrier_name=carrier,",
                        "line 58: ingest-sql-sink: table shipments with columns"),
                Arguments.of("table that does not exist", ROUTES, "              table: shipments", "              table: shipment",
                        "line 58: ingest-sql-sink: table shipment with columns"),
                Arguments.of("unknown column type", ROUTES, "updated_at=updatedAt:timestamp", "updated_at=updatedAt:datetime",
                        "line 58: ingest-sql-sink: unknown column type 'datetime'"),
                Arguments.of("schema that is not there", ROUTES, "              schema: shipments/shipment\n        - to:\n            uri: kamelet:ingest-sql-sink",
                        "              schema: shipments/shipments\n        - to:\n            uri: kamelet:ingest-sql-sink",
                        "line 54: ingest-json-validate-action: no schema schemas/shipments/shipments.json"),
                Arguments.of("schema that does not parse", SCHEMA, "\"title\": \"Shipment\",", "\"title\": \"Shipment\"",
                        "ingest-json-validate-action: schema schemas/shipments/shipment.json is not valid JSON"),
                Arguments.of("source without a pipeline name", ROUTES, "        pipeline: shipments\n", "",
                        "line 48: ingest-queue: missing required parameter 'pipeline'"),
                Arguments.of("unknown block", ROUTES, "uri: kamelet:ingest-sql-sink", "uri: kamelet:ingest-sql-sinc",
                        "line 58: ingest-sql-sinc: no such block"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void startUpIsRefusedWithTheFileTheLineAndTheReason(String name, String file, String from, String to, String message,
            @TempDir Path dir) throws IOException {
        copy(ShipmentsExampleContract.EXAMPLE, dir);
        Path edited = dir.resolve(file);
        String text = Files.readString(edited);
        assertThat(text).as("the case edits the example as it is").contains(from);
        Files.writeString(edited, text.replace(from, to));

        assertThatThrownBy(() -> RunningApp.builder(Mode.EMBEDDED).routesDirectory(dir, false)
                .database(TestDatabase.H2, "refused").start().close())
                .satisfies(e -> assertThat(messages(e)).contains("pipeline files refused")
                        .contains("file:" + dir.resolve(ROUTES))
                        .contains(message));
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
