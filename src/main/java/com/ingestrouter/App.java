package com.ingestrouter;

import com.ingestrouter.config.DependencyWait.DependencyUnavailableException;
import com.ingestrouter.config.IngestConfiguration;
import com.ingestrouter.logs.LogsConfiguration;
import com.ingestrouter.posts.PostsConfiguration;
import com.ingestrouter.config.ManagementAccess;
import com.ingestrouter.config.Mode;
import com.ingestrouter.config.PortInUse;
import com.ingestrouter.errors.Causes;
import com.ingestrouter.pipeline.PipelineRefused;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: Camel Main with the YAML routes, the mode's endpoint properties and our wiring. */
public final class App {
    /** Exit code when a dependency never came up within INGEST_STARTUP_TIMEOUT. */
    static final int EXIT_DEPENDENCY_UNAVAILABLE = 3;
    /** Exit code when a route file uses a building block wrongly (PipelineFiles). */
    static final int EXIT_PIPELINE_REFUSED = 4;
    /** Exit code when the management port would be open beyond loopback without credentials. */
    static final int EXIT_MANAGEMENT_UNPROTECTED = 5;
    /** Exit code when the HTTP or the management port is taken. */
    static final int EXIT_PORT_IN_USE = 6;
    /** Exit code for any other failed start (a route that cannot start, say), logged with its cause. */
    static final int EXIT_START_FAILED = 1;
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    /** A start-up failure with a cause of its own: one line, its message, and its exit code. */
    private record KnownFailure(Class<? extends Throwable> type, int exitCode, String line) {
    }

    private static final List<KnownFailure> KNOWN_FAILURES = List.of(
            new KnownFailure(PipelineRefused.class, EXIT_PIPELINE_REFUSED, "Start-up failed"),
            new KnownFailure(ManagementAccess.Unprotected.class, EXIT_MANAGEMENT_UNPROTECTED, "Start-up refused"),
            new KnownFailure(DependencyUnavailableException.class, EXIT_DEPENDENCY_UNAVAILABLE, "Start-up failed"),
            new KnownFailure(PortInUse.class, EXIT_PORT_IN_USE, "Start-up failed"));

    private App() {
    }

    public static void main(String[] args) throws Exception {
        Main main = newMain(Mode.fromEnvironment());
        try {
            System.exit(main.run(args));
        } catch (Exception e) {
            for (KnownFailure known : KNOWN_FAILURES) {
                Throwable cause = Causes.find(e, known.type());
                if (cause != null) {
                    LOG.error("{}: {}", known.line(), cause.getMessage());
                    System.exit(known.exitCode());
                }
            }
            // Thrown out of main, it would end main alone: the JVM lives on in the threads the start left
            // (broker connections, pools), a process that neither serves nor exits.
            LOG.error("Start-up failed: {}", Causes.root(e).getMessage(), e);
            System.exit(EXIT_START_FAILED);
        }
    }

    /** The application as it runs in production; tests start the same thing with property overrides. */
    public static Main newMain(Mode mode) {
        Main main = new Main(App.class);
        // The repo-root file wins over the copy packed in the jar, so operators edit one file.
        main.setPropertyPlaceholderLocations(
                "classpath:application.properties;optional=true,"
                        + "classpath:modes/" + mode.id() + ".properties,"
                        + "file:application.properties;optional=true");
        // Added once, explicitly: the package scan of new Main(App.class) would find IngestConfiguration
        // too and configure the app twice (two pools, two dependency waits, every HTTP request counted twice).
        // (It also read all 33k entries of the shaded jar: about 2 s of every start-up.)
        main.configure().setBasePackageScanEnabled(false);
        // Shared wiring first: the pipelines' own configurations look up what it binds.
        main.configure().addConfiguration(IngestConfiguration.class);
        main.configure().addConfiguration(LogsConfiguration.class);
        main.configure().addConfiguration(PostsConfiguration.class);
        main.addOverrideProperty("ingest.mode", mode.id());
        if (setting("INGEST_ROUTES_INCLUDE") == null && setting("INGEST_ROUTES_DIR") == null) {
            main.addOverrideProperty("camel.main.routes-include-pattern", shippedRoutes(List.of()));
        }
        routesFromDirectory(main, setting("INGEST_ROUTES_DIR"), Boolean.parseBoolean(setting("INGEST_ROUTES_RELOAD")));
        main.addMainListener(new ShutdownLogger());
        main.addMainListener(new ManagementAccess());
        return main;
    }

    /**
     * INGEST_ROUTES_DIR overlays the shipped routes with a directory: a file named like a shipped one
     * replaces it, any other file adds its routes (a new pipeline) beside them, so an operator edits a
     * route or adds a pipeline without a rebuild. Beside the route files, {@code schemas/} holds JSON
     * Schemas and {@code migrations/<dialect>/} Flyway migrations (IngestConfiguration applies them).
     * INGEST_ROUTES_RELOAD=true also reloads changed files live.
     */
    public static void routesFromDirectory(Main main, String dir, boolean reload) {
        if (dir == null || dir.isBlank()) {
            return;
        }
        java.nio.file.Path root = java.nio.file.Path.of(dir).toAbsolutePath().normalize();
        String path = root.toString();
        main.addOverrideProperty("ingest.routes.dir", path);
        List<String> shadowed = new ArrayList<>();
        try (var files = java.nio.file.Files.list(root)) {
            // Camel matches an exclude against the resource's location: the class-path URL without
            // "jar:" (file:/app.jar!/routes/x.camel.yaml, or file:/.../classes/routes/x.camel.yaml).
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .map(n -> App.class.getResource("/routes/" + n)).filter(java.util.Objects::nonNull)
                    .forEach(url -> shadowed.add(url.toString().replaceFirst("^jar:", "")));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("INGEST_ROUTES_DIR " + path + " cannot be read: " + e.getMessage(), e);
        }
        main.addOverrideProperty("camel.main.routes-include-pattern", shippedRoutes(shadowed) + ",file:" + path + "/*.camel.yaml");
        if (!shadowed.isEmpty()) {
            main.addOverrideProperty("camel.main.routes-exclude-pattern", String.join(",", shadowed));
        }
        // Blocks of its own too, beside the shipped ones.
        if (java.nio.file.Files.isDirectory(root.resolve("kamelets"))) {
            main.addOverrideProperty("camel.component.kamelet.location", "file:" + path + "/kamelets,classpath:kamelets");
        }
        if (reload) {
            main.addOverrideProperty("camel.main.routes-reload-enabled", "true");
            main.addOverrideProperty("camel.main.routes-reload-directory", path);
            main.addOverrideProperty("camel.main.routes-reload-pattern", "*.camel.yaml");
            // Reload only the changed file's routes; a broken file must not take the others down.
            main.addOverrideProperty("camel.main.routes-reload-remove-all-routes", "false");
        }
    }

    /** The shipped route files, as Camel scans for them when the app does not run from a jar. */
    static final String SHIPPED_ROUTES = "classpath:routes/*.camel.yaml";

    /**
     * The include pattern of the shipped routes, without those {@code except} names (by location). Camel resolves a
     * classpath wildcard by reading every entry of every jar on the class path; in the shaded jar that
     * took 1.2 s of start-up on an idle machine and 6 s on a busy one. The jar's own directory names the
     * same files at once, so when the app runs from a jar they are listed from it.
     */
    static String shippedRoutes(List<String> except) {
        List<String> routes = com.ingestrouter.config.ShadedJar.entries("routes", ".camel.yaml").orElse(List.of()).stream()
                .filter(name -> except.stream().noneMatch(shadowed -> shadowed.endsWith("/" + name)))
                .map(name -> "classpath:" + name).toList();
        if (routes.isEmpty()) {
            LOG.debug("Route files not listed from the jar; Camel scans for {}", SHIPPED_ROUTES);
            return SHIPPED_ROUTES;
        }
        return String.join(",", routes);
    }

    private static String setting(String env) {
        String property = env.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        return System.getProperty(property, System.getenv(env));
    }

}
