package com.ingestrouter.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CliConnectorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-cli-connector lets Camel JBang ({@code camel ps}, {@code camel get route}, {@code camel trace})
 * attach to this JVM through files in ~/.camel. Those files carry every resolved property, credentials
 * included, in clear (Camel 4.17 masks them only in the text form), so the directory is made
 * owner-only before Camel writes there, and the connector can be turned off (INGEST_CLI_ENABLED).
 */
public final class CamelCli {
    private static final Logger LOG = LoggerFactory.getLogger(CamelCli.class);

    private CamelCli() {
    }

    public static void configure(CamelContext context, boolean enabled) {
        CliConnectorFactory factory = context.getCamelContextExtension().getContextPlugin(CliConnectorFactory.class);
        if (factory == null) {
            return;
        }
        factory.setEnabled(enabled);
        if (enabled) {
            ownerOnly(Path.of(System.getProperty("user.home"), ".camel"));
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
