package com.ingestrouter.support;

import static org.awaitility.Awaitility.await;

import com.ingestrouter.App;
import com.ingestrouter.config.Mode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The real application, started in-process exactly as {@code java -jar} starts it (same Main, same
 * YAML routes, same properties), with test overrides. Tests talk to it over HTTP and check the
 * database with their own JDBC connection.
 */
public final class RunningApp implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Main main;
    private final Thread thread;
    private final int port;
    private final Map<String, String> properties;
    private final JdbcTemplate jdbc;

    private RunningApp(Main main, Thread thread, int port, Map<String, String> properties, JdbcTemplate jdbc) {
        this.main = main;
        this.thread = thread;
        this.port = port;
        this.properties = properties;
        this.jdbc = jdbc;
    }

    public static Builder builder(Mode mode) {
        return new Builder(mode);
    }

    public int port() {
        return port;
    }

    public String property(String key) {
        return properties.get(key);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Direct JDBC access to the app's database, for assertions. */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        return jdbc.queryForList(sql, args);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** GET on the management port (Camel's /observe/health, /observe/jolokia, ...). */
    public HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + properties.get("camel.management.port") + path)).GET());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return exchange(request);
    }

    /** One HTTP exchange with a 30 s timeout, the body read as text (also for {@link AppProcess}). */
    public static HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        main.completed();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options for one app start. */
    public static final class Builder {
        private final Mode mode;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private String dbUrl;
        private TestDatabase database;
        private java.nio.file.Path routesDir;
        private boolean reload;

        private Builder(Mode mode) {
            this.mode = mode;
        }

        /** A fresh database of this kind, named after the suite. */
        public Builder database(TestDatabase kind, String name) {
            this.database = kind;
            this.dbUrl = kind.fresh(name);
            properties.put("ingest.db.url", dbUrl);
            properties.put("ingest.db.user", kind.user());
            properties.put("ingest.db.password", kind.password());
            return this;
        }

        /** The URL of the database chosen with {@link #database}. */
        public String databaseUrl() {
            return dbUrl;
        }

        /** Load routes from a directory, as INGEST_ROUTES_DIR / INGEST_ROUTES_RELOAD do. */
        public Builder routesDirectory(java.nio.file.Path dir, boolean reload) {
            this.routesDir = dir;
            this.reload = reload;
            return this;
        }

        public Builder property(String key, Object value) {
            properties.put(key, String.valueOf(value));
            return this;
        }

        /**
         * A database at a given URL, used as it is: an H2 file a restart must find again, or one the test
         * prepared (for example migrated to an older version).
         */
        public Builder databaseUrl(TestDatabase kind, String url) {
            this.database = kind;
            this.dbUrl = url;
            properties.put("ingest.db.url", url);
            properties.put("ingest.db.user", kind.user());
            properties.put("ingest.db.password", kind.password());
            return this;
        }

        public RunningApp start() {
            int port = freePort();
            properties.putIfAbsent("camel.server.port", Integer.toString(port));
            properties.putIfAbsent("camel.management.port", Integer.toString(freePort()));
            properties.putIfAbsent("ingest.startup.timeout-seconds", "20");
            properties.putIfAbsent("ingest.retry.initial-delay-ms", "200");
            properties.putIfAbsent("ingest.retry.max-delay-ms", "1000");
            properties.putIfAbsent("ingest.redis.url", TestServices.redisUrl());
            // The posts pull would call the internet at start-up; its suite turns it on against a stub.
            properties.putIfAbsent("ingest.posts.enabled", "false");
            // Camel JBang's connector writes status files every second; CamelCliTest turns it on.
            properties.putIfAbsent("ingest.cli.enabled", "false");
            if (mode == Mode.BROKERS) {
                // Brokers mode waits for Kafka at start-up: the in-process test broker stands in.
                properties.putIfAbsent("ingest.kafka.brokers", TestKafka.brokers());
            }
            if (dbUrl == null) {
                database(TestDatabase.H2, "app");
            }
            Main main = App.newMain(mode);
            properties.forEach(main::addOverrideProperty);
            if (routesDir != null) {
                App.routesFromDirectory(main, routesDir.toString(), reload);
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    main.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "app-under-test");
            thread.setDaemon(true);
            thread.start();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (failure.get() != null) {
                    throw new IllegalStateException("app failed to start", failure.get());
                }
                CamelContext context = main.getCamelContext();
                return context != null && context.isStarted();
            });
            DataSource ds = new DriverManagerDataSource(dbUrl, database.user(), database.password());
            return new RunningApp(main, thread, Integer.parseInt(properties.get("camel.server.port")),
                    Map.copyOf(properties), new JdbcTemplate(ds));
        }
    }
}
