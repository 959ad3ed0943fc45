package com.ingestrouter.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.batch.LaterAck;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.CamelCli;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.observe.ProcessedMessages;
import com.ingestrouter.support.TcpProxy;
import com.ingestrouter.support.TestServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real Redis, cut by a proxy: a record its source can ack later is held back at once instead
 * of blocking its batch, its letter is stored and the record acked when Redis is back, in the order they
 * failed; a record without that (a Kafka record, the in-JVM queue) still waits for its letter.
 */
class DeadLetterHoldingTest {
    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        TestServices.clearDeadLetters();
        context = new DefaultCamelContext();
        CamelCli.configure(context, false); // as RunningApp does: no JBang files from tests
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
        TestServices.clearDeadLetters();
    }

    @Test
    void heldRecordsAreAckedOnceTheirLettersAreStoredAndTheOthersWait() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);
                RedisDeadLetterStore store = new RedisDeadLetterStore(
                        RedisDeadLetterStore.client(TestServices.redisUrl(proxy)),
                        new ObjectMapper())) {
            Metrics metrics = new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            DeadLetterWriter writer = new DeadLetterWriter(store, metrics, new ProcessedMessages(metrics, new ObjectMapper()),
                    50, 200);
            proxy.cut();

            Ack first = new Ack();
            Ack second = new Ack();
            long started = System.nanoTime();
            writer.process(poison("one", first));
            writer.process(poison("two", second));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("held, not waited for").isLessThan(Duration.ofSeconds(5));
            assertThat(first.held.get()).isEqualTo(1);
            assertThat(second.held.get()).isEqualTo(1);
            // Nothing is acked while its letter is not stored.
            Thread.sleep(500); // a stretch of the outage, to see that no ack happens in it
            assertThat(first.acked.get() + second.acked.get()).isZero();

            Exchange withoutLaterAck = poison("three", null);
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try {
                    writer.process(withoutLaterAck);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500); // the same: it must still be waiting when Redis comes back
            assertThat(waiting).as("a record its source cannot ack later waits").isNotDone();

            proxy.restore();
            await().atMost(Duration.ofSeconds(10)).until(() -> first.acked.get() == 1 && second.acked.get() == 1);
            waiting.get();
            List<String> payloads = store.list("payments", 0, 10).stream().map(DeadLetter::payload).toList();
            assertThat(payloads).containsExactlyInAnyOrder("one", "two", "three");
            assertThat(payloads.indexOf("one")).isLessThan(payloads.indexOf("two"));
            assertThat(withoutLaterAck.getProperty(MessageKeys.OUTCOME)).isEqualTo("dead_lettered");
        }
    }

    private Exchange poison(String payload, LaterAck ack) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(MessageKeys.PIPELINE, "payments");
        exchange.setProperty(MessageKeys.PAYLOAD, payload);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new InvalidMessageException("user_id", "not a payment"));
        exchange.getMessage().setBody(payload);
        if (ack != null) {
            exchange.setProperty(LaterAck.PROPERTY, ack);
        }
        return exchange;
    }

    private static final class Ack implements LaterAck {
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger acked = new AtomicInteger();

        @Override
        public void hold() {
            held.incrementAndGet();
        }

        @Override
        public void ack() {
            acked.incrementAndGet();
        }
    }
}
