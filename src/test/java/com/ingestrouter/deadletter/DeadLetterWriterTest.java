package com.ingestrouter.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Attempt counts come from headers anyone can set: whatever they hold, reading them never throws. */
class DeadLetterWriterTest {

    @Test
    void aCountHeaderIsReadAsASmallNonNegativeNumberOrZero() {
        assertThat(DeadLetterWriter.count(null)).isZero();
        assertThat(DeadLetterWriter.count(2)).isEqualTo(2);
        assertThat(DeadLetterWriter.count("3")).isEqualTo(3);
        assertThat(DeadLetterWriter.count(" 4 ")).isEqualTo(4);
        // Kafka hands header values over as bytes.
        assertThat(DeadLetterWriter.count("5".getBytes(StandardCharsets.UTF_8))).isEqualTo(5);
        assertThat(DeadLetterWriter.count("three")).isZero();
        assertThat(DeadLetterWriter.count("-5")).isZero();
        assertThat(DeadLetterWriter.count("1e3")).isZero();
        assertThat(DeadLetterWriter.count("99999999999999999999")).isZero();
        assertThat(DeadLetterWriter.count(new byte[] {(byte) 0xff, 0})).isZero();
        assertThat(DeadLetterWriter.count(Integer.MAX_VALUE)).isEqualTo(1_000_000);
    }
}
