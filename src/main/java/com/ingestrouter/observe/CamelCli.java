package com.ingestrouter.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.CliConnectorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-cli-connector lets Camel JBang ({@code camel ps}, {@code camel get route}, {@code camel trace})
 * attach to this JVM through files in ~/.camel. Those files carry every resolved property, credentials
 * included, in clear (Camel 4.17 masks them only in the text form), so the directory is made
 * owner-only before Camel writes there, and the connector can be turned off (INGEST_CLI_ENABLED).
 *
 * <p>Camel starts the connector while the context initialises, and its first poll runs at once, beside
 * the rest of the start. That poll registers dev consoles and binds variables in maps the starting
 * context iterates without a lock (a ConcurrentModificationException out of DefaultDevConsoleRegistry,
 * seen in CI at about one start in sixty). So Camel is told not to, and the connector starts here once
 * the context is fully started.
 */
public final class CamelCli {
    private static final Logger LOG = LoggerFactory.getLogger(CamelCli.class);

    private CamelCli() {
    }

    public static void configure(CamelContext context, boolean enabled) throws Exception {
        CliConnectorFactory factory = context.getCamelContextExtension().getContextPlugin(CliConnectorFactory.class);
        if (factory == null) {
            return;
        }
        factory.setEnabled(false);
        if (enabled) {
            ownerOnly(Path.of(System.getProperty("user.home"), ".camel"));
            context.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                    factory.setEnabled(true);
                    started.addService(factory.createConnector(), true, true);
                }
            });
        }
    }

    private static void ownerOnly(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // The connector then warns that it cannot write its files, and the app runs without it.
            LOG.debug("Cannot prepare {} for Camel JBang: {}", dir, e.toString());
        }
    }
}
