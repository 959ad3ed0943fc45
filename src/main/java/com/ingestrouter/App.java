package com.ingestrouter;

import com.ingestrouter.config.IngestConfiguration;
import com.ingestrouter.config.Mode;
import org.apache.camel.main.Main;

/** Entry point: Camel Main with the YAML routes, the mode's endpoint properties and our wiring. */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        Main main = newMain(Mode.fromEnvironment());
        int code = main.run(args);
        System.exit(code);
    }

    /** The application as it runs in production; tests start the same thing with property overrides. */
    public static Main newMain(Mode mode) {
        Main main = new Main(App.class);
        // The repo-root file wins over the copy packed in the jar, so operators edit one file.
        main.setPropertyPlaceholderLocations(
                "classpath:application.properties;optional=true,"
                        + "classpath:modes/" + mode.id() + ".properties,"
                        + "file:application.properties;optional=true");
        main.configure().addConfiguration(IngestConfiguration.class);
        main.addOverrideProperty("ingest.mode", mode.id());
        main.addMainListener(new ShutdownLogger());
        return main;
    }
}
