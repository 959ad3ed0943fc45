package com.ingestrouter.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ingestrouter.errors.InfrastructureUnavailable;
import com.ingestrouter.errors.PermanentFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private final ExecutorService consumers = Executors.newFixedThreadPool(20);
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        consumers.shutdownNow();
    }

    @Test
    void concurrentSubmissionsShareTransactionsAndEachGetsItsOwnResult() throws Exception {
        GroupCommit<Integer, String> commit = start(items -> {
            batchSizes.add(items.size());
            return items.stream().map(i -> "ok-" + i).toList();
        }, i -> "single-" + i);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int item = i;
            results.add(consumers.submit(() -> {
                go.await();
                return commit.submit(item);
            }));
        }
        go.countDown();
        for (int i = 0; i < 20; i++) {
            assertThat(results.get(i).get(10, TimeUnit.SECONDS)).endsWith("-" + i);
        }
        assertThat(batchSizes).anyMatch(size -> size > 1);
        commit.stop();
    }

    @Test
    void aBadMessageFailsAloneWhenItsBatchIsRedoneOneByOne() throws Exception {
        Map<Integer, Integer> singleWrites = new ConcurrentHashMap<>();
        GroupCommit<Integer, String> commit = start(items -> {
            if (items.contains(13)) {
                throw new PermanentFailure("row 13 refused");
            }
            return items.stream().map(i -> "batch").toList();
        }, i -> {
            singleWrites.merge(i, 1, Integer::sum);
            if (i == 13) {
                throw new PermanentFailure("row 13 refused");
            }
            return "single";
        });
        CountDownLatch go = new CountDownLatch(1);
        Map<Integer, Future<String>> results = new ConcurrentHashMap<>();
        for (int i = 10; i < 16; i++) {
            int item = i;
            results.put(i, consumers.submit(() -> {
                go.await();
                return commit.submit(item);
            }));
        }
        go.countDown();
        for (int i = 10; i < 16; i++) {
            if (i == 13) {
                int bad = i;
                assertThatThrownBy(() -> results.get(bad).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(PermanentFailure.class);
            } else {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isIn("batch", "single");
            }
        }
        assertThat(singleWrites).containsEntry(13, 1);
        commit.stop();
    }

    @Test
    void infrastructureFailureFailsTheWholeBatchWithoutSingleRetries() throws Exception {
        GroupCommit<Integer, String> commit = start(items -> {
            throw new InfrastructureUnavailable("database", new RuntimeException("down"));
        }, i -> {
            throw new InfrastructureUnavailable("database", new RuntimeException("down"));
        });
        assertThatThrownBy(() -> commit.submit(1)).isInstanceOf(InfrastructureUnavailable.class);
        commit.stop();
        assertThatThrownBy(() -> commit.submit(2)).isInstanceOf(InfrastructureUnavailable.class);
    }

    private static GroupCommit<Integer, String> start(GroupCommit.BatchWrite<Integer, String> batch,
            java.util.function.Function<Integer, String> single) {
        GroupCommit<Integer, String> commit = new GroupCommit<>("test", 1, 50, 20_000, batch, single);
        commit.start();
        return commit;
    }
}
