package com.ingestrouter.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The INGEST_* environment variables the application reads, taken from its own configuration files:
 * {@code {{env:NAME:...}}} in application.properties and modes/*.properties, and {@code ${NAME:-...}} in
 * logback.xml (the log levels), and {@code setting("NAME")} in App. Deployment files may only name these.
 */
final class AppVariables {
    private static final Pattern PROPERTY_PLACEHOLDER = Pattern.compile("\\{\\{env:(INGEST_[A-Z0-9_]+)");
    private static final Pattern LOGBACK_SUBSTITUTION = Pattern.compile("\\$\\{(INGEST_[A-Z0-9_]+)");
    /** Read by App before Camel's properties exist (they choose which properties and routes load). */
    private static final Pattern STARTUP_SETTING = Pattern.compile("setting\\(\"(INGEST_[A-Z0-9_]+)\"\\)");

    private AppVariables() {
    }

    static Set<String> read() throws IOException {
        List<Path> properties = new ArrayList<>();
        properties.add(Path.of("application.properties"));
        try (Stream<Path> modes = Files.list(Path.of("src/main/resources/modes"))) {
            modes.filter(p -> p.getFileName().toString().endsWith(".properties")).sorted().forEach(properties::add);
        }
        Set<String> names = new TreeSet<>();
        for (Path file : properties) {
            collect(PROPERTY_PLACEHOLDER, Files.readString(file), names);
        }
        collect(LOGBACK_SUBSTITUTION, Files.readString(Path.of("src/main/resources/logback.xml")), names);
        collect(STARTUP_SETTING, Files.readString(Path.of("src/main/java/com/ingestrouter/App.java")), names);
        if (!names.contains("INGEST_MODE")) {
            throw new IllegalStateException("found no INGEST_MODE: is the working directory the repository root?");
        }
        return names;
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }
}
