package com.ingestrouter.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker of the test's own, in this JVM, that a test can really stop and start
 * again on the same port and log directory (the shared {@link TestKafka} broker cannot be restarted:
 * other suites use it). What it held before the stop is there after the start: topics, records,
 * committed offsets.
 */
public final class RestartableKafka implements AutoCloseable {
    private final Properties config = new Properties();
    private final int port;
    private final Path logDir;
    private KafkaRaftServer server;

    public RestartableKafka() throws IOException {
        port = RunningApp.freePort();
        int controllerPort = RunningApp.freePort();
        logDir = Files.createTempDirectory("restartable-kafka");
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", logDir.toString());
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "3");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("group.min.session.timeout.ms", "1000");
        Path file = logDir.resolveSibling(logDir.getFileName() + ".properties");
        try (var out = Files.newOutputStream(file)) {
            config.store(out, null);
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()},
                new PrintStream(said, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
            throw new IllegalStateException("kafka-storage format failed: " + said.toString(StandardCharsets.UTF_8));
        }
        start();
    }

    public String brokers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again), on the same port and log directory. */
    public synchronized void start() {
        if (server == null) {
            server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
            server.startup();
        }
    }

    /** A clean broker shutdown, as a restart by an operator does. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Writes the records (key, value) and waits for every acknowledgement (acks=all). */
    public void sendAll(String topic, List<Map.Entry<String, byte[]>> records) {
        try (var producer = TestKafka.producer(brokers())) {
            var sent = records.stream().map(r -> producer.send(new ProducerRecord<>(topic,
                    r.getKey().getBytes(StandardCharsets.UTF_8), r.getValue()))).toList();
            for (var future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Committed offsets of the group, summed over its partitions (0 while the broker is down). */
    public long committed(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(logDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            Files.deleteIfExists(logDir.resolveSibling(logDir.getFileName() + ".properties"));
        } catch (IOException e) {
            // a scratch directory under the temp dir; nothing depends on it
        }
    }
}
