package com.ingestrouter;

import com.ingestrouter.config.DependencyWait.DependencyUnavailableException;
import com.ingestrouter.config.IngestConfiguration;
import com.ingestrouter.config.Mode;
import com.ingestrouter.errors.Causes;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: Camel Main with the YAML routes, the mode's endpoint properties and our wiring. */
public final class App {
    /** Exit code when a dependency never came up within INGEST_STARTUP_TIMEOUT. */
    static final int EXIT_DEPENDENCY_UNAVAILABLE = 3;
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private App() {
    }

    public static void main(String[] args) throws Exception {
        Main main = newMain(Mode.fromEnvironment());
        try {
            System.exit(main.run(args));
        } catch (Exception e) {
            DependencyUnavailableException missing = Causes.find(e, DependencyUnavailableException.class);
            if (missing == null) {
                throw e;
            }
            LOG.error("Start-up failed: {}", missing.getMessage());
            System.exit(EXIT_DEPENDENCY_UNAVAILABLE);
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
        main.configure().setBasePackageScanEnabled(false);
        main.configure().addConfiguration(IngestConfiguration.class);
        main.addOverrideProperty("ingest.mode", mode.id());
        routesFromDirectory(main, setting("INGEST_ROUTES_DIR"), Boolean.parseBoolean(setting("INGEST_ROUTES_RELOAD")));
        main.addMainListener(new ShutdownLogger());
        return main;
    }

    /**
     * INGEST_ROUTES_DIR loads the route YAML from a directory instead of the jar, so an operator edits
     * a route and restarts without a rebuild; INGEST_ROUTES_RELOAD=true also reloads changed files live.
     */
    public static void routesFromDirectory(Main main, String dir, boolean reload) {
        if (dir == null || dir.isBlank()) {
            return;
        }
        String path = java.nio.file.Path.of(dir).toAbsolutePath().normalize().toString();
        main.addOverrideProperty("camel.main.routes-include-pattern", "file:" + path + "/*.camel.yaml");
        if (reload) {
            main.addOverrideProperty("camel.main.routes-reload-enabled", "true");
            main.addOverrideProperty("camel.main.routes-reload-directory", path);
            main.addOverrideProperty("camel.main.routes-reload-pattern", "*.camel.yaml");
            // Reload only the changed file's routes; a broken file must not take the others down.
            main.addOverrideProperty("camel.main.routes-reload-remove-all-routes", "false");
        }
    }

    private static String setting(String env) {
        String property = env.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        return System.getProperty(property, System.getenv(env));
    }

}
