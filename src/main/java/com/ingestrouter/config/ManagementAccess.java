package com.ingestrouter.config;

import com.ingestrouter.observe.Redaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationConfigEntry;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationHandlerFactory;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationProviderFactory;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the management port (Jolokia, /observe/*). With INGEST_MANAGEMENT_USER and
 * INGEST_MANAGEMENT_PASSWORD set, every request on it needs them (HTTP Basic, all paths, reads too).
 * Bound beyond loopback without them, start-up is refused: anyone reaching the port could stop routes.
 * <p>
 * Camel's management server has basic authentication of its own ({@code camel.management.authenticationEnabled},
 * Vert.x {@code PropertyFileAuthentication}), but it reads the users from a file. The file is written
 * here from the two variables, readable by this user only, and deleted as soon as Vert.x has loaded it
 * (when the server starts), so the password never sits in the image or on disk for long.
 * <p>
 * Hawtio 4 sends the login of a remote Jolokia as {@code X-Jolokia-Authorization: Basic ...} (its proxy
 * passes that header on as is), which Jolokia's own agents accept but Vert.x's basic handler does not:
 * the handler Camel installs is wrapped to read that header when {@code Authorization} is absent.
 */
public final class ManagementAccess extends MainListenerSupport {
    /** The one line start-up prints when it refuses; App exits with {@code App.EXIT_MANAGEMENT_UNPROTECTED}. */
    public static final String UNPROTECTED = "management port bound to %s without credentials: set INGEST_MANAGEMENT_USER"
            + " and INGEST_MANAGEMENT_PASSWORD, or INGEST_MANAGEMENT_HOST=127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(ManagementAccess.class);
    /** The header Hawtio and Jolokia's clients use for the remote agent's login. */
    static final String JOLOKIA_AUTHORIZATION = "X-Jolokia-Authorization";
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");
    private Path usersFile;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        Redaction.registerSecrets(properties);
        // Found by name when the management server sets Jolokia up: a refused Origin answers 403, not 500.
        context.getRegistry().bind("jolokia", new JolokiaOriginRefusal());
        if (!Boolean.parseBoolean(properties.resolveProperty("camel.management.enabled").orElse("false"))) {
            return;
        }
        String host = properties.resolveProperty("camel.management.host").orElse("0.0.0.0").trim();
        String user = properties.resolveProperty("ingest.management.user").orElse("").trim();
        String password = properties.resolveProperty("ingest.management.password").orElse("");
        if (user.isEmpty() || password.isEmpty()) {
            if (!LOOPBACK.contains(host.toLowerCase(java.util.Locale.ROOT))) {
                throw new Unprotected(String.format(UNPROTECTED, host));
            }
            return;
        }
        checkUsable(user, password);
        usersFile = writeUsersFile(user, password);
        HttpManagementServerConfigurationProperties server = main.configure().httpManagementServer();
        server.setAuthenticationEnabled(true);
        // "/" means every path of the management server: Jolokia, /observe/health, /observe/metrics.
        server.setAuthenticationPath("/");
        server.setAuthenticationRealm("ingest-router");
        server.setBasicPropertiesFile(usersFile.toString());
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        if (usersFile == null) {
            return;
        }
        ManagementHttpServer server = main.getCamelContext().hasService(ManagementHttpServer.class);
        if (server == null) {
            LOG.warn("Management server not found: Hawtio's X-Jolokia-Authorization header will not be accepted");
            return;
        }
        for (AuthenticationConfigEntry entry : server.getConfiguration().getAuthenticationConfig().getEntries()) {
            // Vert.x reads the users file when it builds the provider: delete it right then, so that not
            // even a failed start-up or a SIGKILL later leaves the password on disk.
            AuthenticationProviderFactory provider = entry.getAuthenticationProviderFactory();
            entry.setAuthenticationProviderFactory(vertx -> {
                AuthenticationProvider loaded = provider.createAuthenticationProvider(vertx);
                deleteUsersFile();
                return loaded;
            });
            AuthenticationHandlerFactory basic = entry.getAuthenticationHandlerFactory();
            entry.setAuthenticationHandlerFactory(new AuthenticationHandlerFactory() {
                @Override
                public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                    AuthenticationHandler handler = basic.createAuthenticationHandler(provider);
                    return ctx -> {
                        String alternate = ctx.request().getHeader(JOLOKIA_AUTHORIZATION);
                        if (alternate != null && ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
                            ctx.request().headers().set(HttpHeaders.AUTHORIZATION, alternate);
                        }
                        handler.handle(ctx);
                    };
                }
            });
        }
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        deleteUsersFile();
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        deleteUsersFile();
    }

    private synchronized void deleteUsersFile() {
        if (usersFile != null) {
            try {
                Files.deleteIfExists(usersFile);
            } catch (IOException e) {
                LOG.warn("Could not delete the management users file {}: {}", usersFile, e.getMessage());
            }
            usersFile = null;
        }
    }

    /** The Vert.x file format is {@code user.<name> = <password>,<roles>}: these characters would break a line. */
    static void checkUsable(String user, String password) {
        if (!user.matches("[A-Za-z0-9._@-]+")) {
            throw new Unprotected("INGEST_MANAGEMENT_USER may hold only letters, digits and . _ @ -");
        }
        if (password.contains(",") || password.contains("\n") || password.contains("\r") || !password.equals(password.trim())) {
            throw new Unprotected("INGEST_MANAGEMENT_PASSWORD must not contain a comma or a line break, nor start or end with a space");
        }
    }

    private static Path writeUsersFile(String user, String password) {
        try {
            Path file;
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                file = Files.createTempFile("ingest-management-", ".properties",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                file = Files.createTempFile("ingest-management-", ".properties");
            }
            file.toFile().deleteOnExit();
            Files.writeString(file, "user." + user + " = " + password + ",operator\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the management users file", e);
        }
    }

    /** Start-up refused: the management port would be open to the network without a login. */
    public static final class Unprotected extends RuntimeException {
        public Unprotected(String message) {
            super(message);
        }
    }
}
