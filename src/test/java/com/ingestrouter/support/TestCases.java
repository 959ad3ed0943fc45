package com.ingestrouter.support;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Data-driven cases: one folder per case under src/test/resources, so a new case is a new folder. */
public final class TestCases {
    private TestCases() {
    }

    public static Path dir(String resource) {
        try {
            return Path.of(TestCases.class.getClassLoader().getResource(resource).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no test resource " + resource, e);
        }
    }

    public static Stream<String> names(String resource) {
        try (Stream<Path> children = Files.list(dir(resource))) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
