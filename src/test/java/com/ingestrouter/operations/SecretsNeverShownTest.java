package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.support.AppProcess;
import com.ingestrouter.support.StubApi;
import com.ingestrouter.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Known secrets in every URL and variable; the app driven through its answers, a failing pull, a dead
 * letter, refused requests and a database that starts refusing the app's login; then every answer and
 * the whole log of the process are searched for each secret. The log is the process's own output, with
 * the test logback configuration, which masks like logback.xml.
 */
class SecretsNeverShownTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ROOT_URL = "jdbc:mysql://127.0.0.1:3306/test";
    private static final String DB_USER = "ingest_mgmt_dbuser";
    private static final String DB_PASSWORD = "db-Pw-Qx73k";
    private static final String ADMIN_TOKEN = "admin-Tok-Yh72p";
    private static final String MANAGEMENT_USER = "mgmt-user-R4w";
    private static final String MANAGEMENT_PASSWORD = "mgmt-Pw-Tb63n";
    private static final String REDIS_PASSWORD = "redis-Pw-Zq81m";
    private static final String RABBIT_USER = "rabbit-user-Q2v";
    private static final String RABBIT_PASSWORD = "rabbit-Pw-Lk55d";
    private static final String POSTS_TOKEN = "posts-Tok-Wd19c";
    private static final List<String> SECRETS = List.of(DB_USER, DB_PASSWORD, ADMIN_TOKEN, MANAGEMENT_USER,
            MANAGEMENT_PASSWORD, REDIS_PASSWORD, RABBIT_USER, RABBIT_PASSWORD, POSTS_TOKEN);

    private final StubApi source = new StubApi();
    private final List<String> answers = new ArrayList<>();

    @AfterEach
    void dropUser() throws Exception {
        source.close();
        root("DROP USER IF EXISTS '" + DB_USER + "'@'%'", "DROP USER IF EXISTS '" + DB_USER + "'@'localhost'");
    }

    @Test
    void noAnswerAndNoLogLineShowsACredential() throws Exception {
        String dbUrl = TestDatabase.MARIADB.fresh("secrets");
        String db = dbUrl.substring(dbUrl.lastIndexOf('/') + 1);
        root("DROP USER IF EXISTS '" + DB_USER + "'@'%'", "DROP USER IF EXISTS '" + DB_USER + "'@'localhost'",
                "CREATE USER '" + DB_USER + "'@'%' IDENTIFIED BY '" + DB_PASSWORD + "'",
                "CREATE USER '" + DB_USER + "'@'localhost' IDENTIFIED BY '" + DB_PASSWORD + "'",
                "GRANT ALL ON " + db + ".* TO '" + DB_USER + "'@'%'",
                "GRANT ALL ON " + db + ".* TO '" + DB_USER + "'@'localhost'");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("INGEST_DB_URL", dbUrl + "?user=" + DB_USER + "&password=" + DB_PASSWORD);
        env.put("INGEST_REDIS_URL", "redis://:" + REDIS_PASSWORD + "@127.0.0.1:6379/6");
        env.put("INGEST_RABBITMQ_URL", "amqp://" + RABBIT_USER + ":" + RABBIT_PASSWORD + "@127.0.0.1:5672/");
        env.put("INGEST_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("INGEST_MANAGEMENT_USER", MANAGEMENT_USER);
        env.put("INGEST_MANAGEMENT_PASSWORD", MANAGEMENT_PASSWORD);
        env.put("INGEST_POSTS_URL", source.url("/posts?token=" + POSTS_TOKEN));
        env.put("INGEST_POSTS_ATTEMPTS", "1");
        env.put("INGEST_STARTUP_TIMEOUT", "20");

        try (AppProcess app = AppProcess.start(env)) {
            await().atMost(Duration.ofSeconds(90)).until(app::healthy);
            String health = get(app, "/health", null);
            assertThat(health).contains("password=***");

            source.reply(StubApi.Reply.json("[{\"userId\": 1, \"id\": 1, \"title\": \"t\", \"body\": \"b\"},"
                    + " {\"userId\": \"x\", \"id\": 2, \"title\": \"t\", \"body\": \"b\"}]"));
            post(app, "/posts/ingest");
            assertThat(get(app, "/posts", null)).contains("token=***");
            get(app, "/posts/1", null);
            get(app, "/status", null);
            assertThat(get(app, "/dlq/posts", ADMIN_TOKEN)).contains("token=***");

            source.reply(StubApi.Reply.status(503));
            assertThat(post(app, "/posts/ingest")).contains("\"status\":\"failed\"").contains("token=***");
            assertThat(get(app, "/status", null)).contains("token=***");
            get(app, "/dlq", "wrong-token");
            get(app, "/dlq", null);
            get(app, "/metrics", null);
            jolokiaDump(app);

            // The database now refuses the app's login: the read API and /health answer 503 with the reason.
            root("ALTER USER '" + DB_USER + "'@'%' IDENTIFIED BY 'changed-Pw-1'",
                    "ALTER USER '" + DB_USER + "'@'localhost' IDENTIFIED BY 'changed-Pw-1'");
            killConnectionsOf(DB_USER);
            await().atMost(Duration.ofSeconds(60)).until(() -> get(app, "/posts", null).contains("Access denied"));
            assertThat(answers.get(answers.size() - 1)).contains("Access denied for user '***'");
            await().atMost(Duration.ofSeconds(30)).until(() -> get(app, "/health", null).contains("DOWN"));

            app.terminate();
            app.waitForExit(Duration.ofSeconds(60));
            String log = app.output();
            assertThat(log).contains("posts?token=***");
            for (String secret : SECRETS) {
                assertThat(log).as("log shows %s", secret).doesNotContain(secret);
                for (String answer : answers) {
                    assertThat(answer).as("an answer shows %s", secret).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void aStartUpRefusedByTheDatabaseNamesItWithoutTheCredentials() throws Exception {
        String dbUrl = TestDatabase.MARIADB.fresh("secrets");
        try (AppProcess app = AppProcess.start(Map.of(
                "INGEST_DB_URL", dbUrl + "?user=" + DB_USER + "&password=" + DB_PASSWORD,
                "INGEST_STARTUP_TIMEOUT", "2"))) {
            assertThat(app.waitForExit(Duration.ofSeconds(60))).isEqualTo(3);
            String log = app.output();
            assertThat(log).contains("Start-up failed: database at " + dbUrl + "?user=***&password=*** not reachable")
                    .contains("Access denied for user '***'");
            for (String secret : SECRETS) {
                assertThat(log).as("log shows %s", secret).doesNotContain(secret);
            }
        }
    }

    private String get(AppProcess app, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return record(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private String post(AppProcess app, String path) throws Exception {
        return record(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private void jolokiaDump(AppProcess app) throws Exception {
        String basic = Base64.getEncoder().encodeToString((MANAGEMENT_USER + ":" + MANAGEMENT_PASSWORD).getBytes(StandardCharsets.UTF_8));
        String body = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=ingest-router,type=context,name=\\\"ingest-router\\\"\","
                + "\"operation\":\"dumpRoutesAsXml()\"}";
        String dump = record(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.managementPort() + "/observe/jolokia"))
                .header("Authorization", "Basic " + basic).header("Origin", "http://localhost")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(dump).contains("posts.pull");
    }

    private String record(HttpResponse<String> response) {
        String text = response.statusCode() + " " + response.headers().map() + " " + response.body();
        answers.add(text);
        return text;
    }

    private static void root(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(ROOT_URL, "root", ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static void killConnectionsOf(String user) throws SQLException {
        try (Connection c = DriverManager.getConnection(ROOT_URL, "root", ""); Statement s = c.createStatement()) {
            List<Long> ids = new ArrayList<>();
            try (var rows = s.executeQuery("SELECT id FROM information_schema.processlist WHERE user = '" + user + "'")) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            for (long id : ids) {
                s.execute("KILL CONNECTION " + id);
            }
        }
    }
}
