package com.ingestrouter.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.ingestrouter.config.DependencyCheck;
import java.sql.SQLException;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * A failing dependency's result carries a redacted message and no exception: Camel's /observe/health
 * (exposureLevel=full) prints a result's exception, its causes' messages and its stack trace as they are.
 */
class DependencyHealthCheckTest {

    @Test
    void aFailedProbeIsDownWithARedactedMessageAndNoExceptionToPrint() throws Exception {
        Redaction.registerSecret("Hc9-probe-secret");
        DependencyCheck database = new DependencyCheck("database", "jdbc:mysql://db/ingest?user=app&password=Hc9-probe-secret",
                () -> {
                    throw new IllegalStateException("Access denied for user 'app'@'10.0.0.7' (using password: YES)",
                            new SQLException("login with Hc9-probe-secret refused"));
                });
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            DependencyHealthCheck check = new DependencyHealthCheck(database);
            check.setCamelContext(context);
            HealthCheck.Result result = check.call(Map.of());

            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage()).hasValue("Access denied for user '***'@'10.0.0.7' (using password: YES)");
            assertThat(result.getError()).isEmpty();
            assertThat(result.getDetails().get(DependencyHealthCheck.ADDRESS).toString()).doesNotContain("Hc9-probe-secret")
                    .doesNotContain("user=app");
        }
    }
}
