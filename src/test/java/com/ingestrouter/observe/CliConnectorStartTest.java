package com.ingestrouter.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CliConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JBang connector must not run while the context is still starting: its first poll mutates maps the
 * start iterates. It comes up once the context is fully started. (operations.CamelCliTest shows JBang
 * reading the running app, and no connector when it is turned off.)
 */
class CliConnectorStartTest {
    @TempDir
    Path home;
    private String realHome;

    @BeforeEach
    void ownHome() {
        // The connector writes its PID files under ~/.camel; keep them out of the real home.
        realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void realHome() {
        System.setProperty("user.home", realHome);
    }

    @Test
    void theConnectorStartsOnlyOnceTheContextIsFullyStarted() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            CamelCli.configure(context, true);
            context.init();
            assertThat(context.hasService(CliConnector.class)).as("no connector while the context starts").isNull();

            context.start();

            CliConnector connector = context.hasService(CliConnector.class);
            assertThat(connector).isNotNull();
            assertThat(context.getStatus().isStarted()).isTrue();
            assertThat(Files.getPosixFilePermissions(home.resolve(".camel")))
                    .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
        }
    }

    @Test
    void manyStartsInARowAllSucceed() throws Exception {
        // Before the connector waited for the start, about one bare start in sixty failed here.
        for (int i = 0; i < 120; i++) {
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                CamelCli.configure(context, true);
                context.start();
                assertThat(context.getStatus().isStarted()).as("start %d", i).isTrue();
            }
        }
    }
}
