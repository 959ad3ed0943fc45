package com.ingestrouter.config;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Service;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brokers mode: Kafka's reachability for start-up and /health, and the events topic's creation. */
public final class KafkaAdmin implements Service, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAdmin.class);
    private static final int TIMEOUT_MS = 5_000;
    private final String brokers;
    private final Admin admin;

    public KafkaAdmin(String brokers) {
        this.brokers = brokers;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "ingest-router-admin");
        this.admin = Admin.create(props);
    }

    public String brokers() {
        return brokers;
    }

    /** Fails unless a broker answers within a few seconds. */
    public void ping() throws Exception {
        try {
            admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            throw new IllegalStateException("no broker answered within " + TIMEOUT_MS + " ms", e);
        }
    }

    /** Creates the topic with this many partitions unless it exists (replication: 1, or the broker's default). */
    public void ensureTopic(String topic, int partitions) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(partitions), java.util.Optional.empty())))
                    .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            LOG.info("Created Kafka topic {} with {} partitions", topic, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }

}
