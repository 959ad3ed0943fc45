package com.ingestrouter.pull;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The pure parts of a pull: backoff with jitter, Retry-After, field-to-column names. */
class RetryPolicyTest {

    @Test
    void backoffDoublesWithJitterInTheUpperHalfAndStopsAtTheMaximum() {
        Backoff lowest = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(5000), () -> 0.0);
        Backoff highest = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(5000), () -> 1.0);
        assertThat(lowest.delay(1, null)).isEqualTo(Duration.ofMillis(500));
        assertThat(highest.delay(1, null)).isEqualTo(Duration.ofMillis(1000));
        assertThat(lowest.delay(2, null)).isEqualTo(Duration.ofMillis(1000));
        assertThat(highest.delay(3, null)).isEqualTo(Duration.ofMillis(4000));
        assertThat(highest.delay(10, null)).isEqualTo(Duration.ofMillis(5000));
    }

    @Test
    void retryAfterIsNeverCutShort() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), () -> 1.0);
        assertThat(backoff.delay(1, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(1, Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(HttpPull.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpPull.retryAfter(null)).isNull();
        assertThat(HttpPull.retryAfter("soon")).isNull();
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(HttpPull.retryAfter(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusSeconds(10));
        assertThat(HttpPull.retryAfter(past)).isEqualTo(Duration.ZERO);
    }

    @Test
    void itemPathFindsTheArray() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var doc = json.readTree("{\"data\": {\"items\": [1, 2]}}");
        assertThat(PullItems.at(doc, "$")).isEqualTo(doc);
        assertThat(PullItems.at(doc, "$.data.items").size()).isEqualTo(2);
        assertThat(PullItems.at(doc, "data.items").isArray()).isTrue();
        assertThat(PullItems.at(doc, "$.missing.items")).isNull();
    }
}
