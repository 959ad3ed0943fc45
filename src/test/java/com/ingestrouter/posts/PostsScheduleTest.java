package com.ingestrouter.posts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.StubApi;
import com.ingestrouter.support.StubApi.Reply;
import com.ingestrouter.support.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schedule itself, embedded mode on H2: the first run is at start-up, and a failed run does not stop the next. */
class PostsScheduleTest {

    @Test
    void failedRunsDoNotStopTheSchedule() {
        try (StubApi stub = new StubApi()) {
            stub.reply(Reply.status(500));
            try (RunningApp app = RunningApp.builder(Mode.EMBEDDED)
                    .database(TestDatabase.H2, "posts_schedule")
                    .property("ingest.posts.enabled", "true")
                    .property("ingest.posts.url", stub.url("/posts"))
                    .property("ingest.posts.interval", "300ms")
                    .property("ingest.posts.retry-delay-ms", "10")
                    .property("ingest.posts.retry-max-delay-ms", "50")
                    .start()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    List<Map<String, Object>> failed = app.rows(
                            "SELECT error FROM ingestion_runs WHERE pipeline = 'posts' AND status = 'failed' ORDER BY id");
                    assertThat(failed).hasSizeGreaterThanOrEqualTo(3);
                    assertThat(failed).allSatisfy(r -> assertThat((String) r.get("error"))
                            .isEqualTo("failed after 3 attempts: HTTP 500 from " + stub.url("/posts")));
                });
                assertThat(stub.calls()).isGreaterThanOrEqualTo(9);
                // Every 300 ms a new run starts: /status may catch one still running, so it is read between runs.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(app.get("/status").body()).contains("\"status\":\"failed\""));
            }
        }
    }
}
