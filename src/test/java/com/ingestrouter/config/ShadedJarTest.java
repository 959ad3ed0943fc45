package com.ingestrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShadedJarTest {

    @Test
    void listsTheFilesDirectlyUnderTheDirectoryWithTheSuffixSorted(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : new String[] {"kamelets/b.kamelet.yaml", "kamelets/a.kamelet.yaml", "kamelets/readme.md",
                    "kamelets/old/c.kamelet.yaml", "other/kamelets/d.kamelet.yaml", "routes/x.camel.yaml"}) {
                out.putNextEntry(new ZipEntry(name));
                out.write("x".getBytes());
                out.closeEntry();
            }
        }
        assertThat(ShadedJar.entries(jar, "kamelets", ".kamelet.yaml"))
                .containsExactly("kamelets/a.kamelet.yaml", "kamelets/b.kamelet.yaml");
        assertThat(ShadedJar.entries(jar, "routes/", ".camel.yaml")).containsExactly("routes/x.camel.yaml");
    }

    @Test
    void fromClassesNotAJarItLeavesTheScanToCamel() {
        // The tests run from target/classes: the caller falls back to Camel's classpath scan.
        assertThat(ShadedJar.entries("kamelets", ".kamelet.yaml")).isEmpty();
    }
}
