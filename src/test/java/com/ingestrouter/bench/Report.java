package com.ingestrouter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Writes docs/performance.md: each figure with its ratio to the raw limit and to the baseline. */
final class Report {
    private Report() {
    }

    static void write(Path file, boolean quick, int n, int usersN, int runs, Map<String, List<Double>> figures,
            Map<String, List<HttpLoad.Result>> http, Map<String, List<HttpLoad.Result>> sweep, String args) throws IOException {
        double dbUpsert = med(figures, "db.payments.upsert");
        double rabbit = med(figures, "rabbit.drain");
        double baseline = med(figures, "payments.baseline");
        double product = med(figures, "payments.product");
        StringBuilder md = new StringBuilder();
        md.append("# Performance\n\n");
        md.append("Produced by `bench/run").append(args.isBlank() ? "" : " " + args).append("` on ").append(LocalDate.now())
                .append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(String.format("%.0f", totalMemoryGb())).append(" GiB; broker, database, Redis, the app and the load generator share the machine). ")
                .append("N = ").append(n).append(" messages per drain (1 in ").append(PaymentsBench.INVALID_EVERY)
                .append(" invalid, so dead-lettering is in the measured path); figures are medians of ").append(runs)
                .append(runs == 1 ? " run (quick mode: a smoke check, not a result)" : " runs").append(".\n")
                .append("Every drain is checked for exactness (rows and dead letters equal what was sent) or the run fails.\n\n");
        md.append("## payments: RabbitMQ → MariaDB\n\n");
        md.append("| Figure | Rate (msg/s) | vs raw limit | vs naive baseline |\n|---|---:|---:|---:|\n");
        md.append(row("Raw: MariaDB batched upsert of payment_events rows (1000/txn)", dbUpsert, "—", "—"));
        md.append(row("Raw: RabbitMQ drain of the same pre-loaded persistent messages", rabbit, "—", "—"));
        md.append(row("Naive baseline: one message, one autocommit insert, one ack", baseline,
                pct(baseline / rabbit), "1.0×"));
        md.append(row("**Product**, started on the full queue: validation, idempotency, dead letters, ack after commit", product,
                pct(product / rabbit) + " of RabbitMQ", String.format("%.1f×", product / baseline)));
        double warm = med(figures, "payments.product.warm");
        md.append(row("**Product, warm**: the same app drains a second full queue", warm,
                pct(warm / rabbit) + " of RabbitMQ", String.format("%.1f×", warm / baseline)));
        md.append("\nTargets: ≥ 60% of the raw RabbitMQ drain, ≥ 2.5× the naive baseline.\n\n");
        double eventsDb = med(figures, "db.events.upsert");
        double kafka = med(figures, "kafka.consume");
        double eventsBaseline = med(figures, "events.baseline");
        double eventsProduct = med(figures, "events.product");
        md.append("## events: Kafka (" + EventsBench.PARTITIONS + " partitions) → MariaDB\n\n");
        md.append("Mixed UserCreated and ProductReview events; per event the product writes its row, which carries the eventId and content hash the idempotency check reads.\n\n");
        md.append("| Figure | Rate (events/s) | vs raw limit | vs naive baseline |\n|---|---:|---:|---:|\n");
        md.append(row("Raw: MariaDB batched upsert of the same rows (one row per event, 1000 events/txn)", eventsDb, "—", "—"));
        md.append(row("Raw: Kafka consume of the same pre-loaded records", kafka, "—", "—"));
        md.append(row("Naive baseline: one record, one autocommit upsert, one offset commit", eventsBaseline,
                pct(eventsBaseline / eventsDb) + " of the database", "1.0×"));
        md.append(row("**Product**, started on the full topic: validation, idempotency ledger, upserts, dead letters, commit after the transaction",
                eventsProduct, pct(eventsProduct / eventsDb) + " of the database", String.format("%.1f×", eventsProduct / eventsBaseline)));
        double eventsWarm = med(figures, "events.product.warm");
        md.append(row("**Product, warm**: the same app drains N more events", eventsWarm,
                pct(eventsWarm / eventsDb) + " of the database", String.format("%.1f×", eventsWarm / eventsBaseline)));
        md.append("\nTargets: ≥ 60% of the database's raw bulk-upsert rate, ≥ 10× the naive baseline.\n\n");
        md.append("## events, users upsert workload (issue 11): Kafka (" + UsersBench.PARTITIONS + " partitions) → MariaDB\n\n");
        md.append("N = ").append(usersN).append(" UserCreated events keyed by userId, ").append(UsersBench.distinct(usersN))
                .append(" distinct ids (every fifth re-sends an earlier id); the app starts on the loaded topic and an empty database; ")
                .append("done when COUNT(*) and the CRC32 checksum equal the final state. ")
                .append("The peer (Kafka Connect + Debezium JDBC sink) and the raw JDBC limit for the same rows are measured by ")
                .append("`../shared/peer-bench/run`, in the same sitting; docs/performance.md keeps one with the ratios.\n\n");
        md.append("| Figure | Value |\n|---|---:|\n");
        md.append(String.format("| raw: batched upsert of the same rows into the product's table (1000/commit, one connection) | %.0f rows/s, client CPU %.1f µs/row |%n",
                med(figures, "users.raw"), med(figures, "users.raw.cpu-us")));
        md.append(String.format("| rows/s from launch | %.0f |%n", med(figures, "users.from-start")));
        md.append(String.format("| rows/s after the first row | %.0f |%n", med(figures, "users.after-first")));
        md.append(String.format("| first row after launch | %.1f s |%n", med(figures, "users.first-row.s")));
        md.append(String.format("| app CPU per event, from launch | %.0f µs |%n", med(figures, "users.cpu-us")));
        md.append(String.format("| app CPU per event, after the first row | %.0f µs |%n", med(figures, "users.cpu-us.after-first")));
        md.append(String.format("| peak RSS (-Xmx512m) | %.0f MiB |%n", med(figures, "users.rss.mb")));
        md.append("\n");
        md.append("## HTTP endpoints (closed-loop load generator on the same machine: ")
                .append(BenchMain.WRK ? "wrk, 2 threads" : "the JDK's HttpClient, a thread per connection").append(")\n\n");
        md.append("Each endpoint is swept over concurrencies; the row shows the concurrency with the highest rate (median over runs).\n\n");
        md.append("| Endpoint | Concurrency | Requests/s | p50 | p99 | Errors |\n|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<HttpLoad.Result>> endpoint : http.entrySet()) {
            List<HttpLoad.Result> results = endpoint.getValue().stream()
                    .sorted(Comparator.comparingDouble(HttpLoad.Result::requestsPerSecond)).toList();
            HttpLoad.Result m = results.get(results.size() / 2);
            md.append(String.format("| %s | %d | %.0f | %.1f ms | %.1f ms | %d |%n", endpoint.getKey(), m.concurrency(),
                    m.requestsPerSecond(), m.p50Ms(), m.p99Ms(), results.stream().mapToLong(HttpLoad.Result::errors).sum()));
        }
        md.append("\nTarget: p99 under 25 ms at the concurrency that gives the maximum rate, no error.\n\n");
        md.append("The whole sweep (medians over runs per concurrency): where the rate stops growing, latency only queues.\n\n");
        md.append("| Endpoint | Concurrency | Requests/s | p50 | p99 | Errors |\n|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<HttpLoad.Result>> endpoint : sweep.entrySet()) {
            endpoint.getValue().stream().map(HttpLoad.Result::concurrency).distinct().sorted().forEach(c -> {
                List<HttpLoad.Result> at = endpoint.getValue().stream().filter(r -> r.concurrency() == c).toList();
                md.append(String.format("| %s | %d | %.0f | %.1f ms | %.1f ms | %d |%n", endpoint.getKey(), c,
                        Stats.median(at.stream().map(HttpLoad.Result::requestsPerSecond).toList()),
                        Stats.median(at.stream().map(HttpLoad.Result::p50Ms).toList()),
                        Stats.median(at.stream().map(HttpLoad.Result::p99Ms).toList()),
                        at.stream().mapToLong(HttpLoad.Result::errors).sum()));
            });
        }
        md.append("\n");
        md.append("## Where the CPU went during the product drains\n\n");
        md.append("% of one core, from /proc, between the first row written and the last; the machine has ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(Runtime.getRuntime().availableProcessors() * 100).append("% = all busy).\n\n");
        md.append("| Drain | app | MariaDB | RabbitMQ | Kafka | whole machine |\n|---|---:|---:|---:|---:|---:|\n");
        for (String pipeline : List.of("payments", "payments.warm", "events", "events.warm")) {
            md.append(String.format("| %s | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% |%n", pipeline.replace(".warm", ", warm"),
                    med(figures, pipeline + ".cpu.app"), med(figures, pipeline + ".cpu.mariadb"),
                    med(figures, pipeline + ".cpu.rabbitmq"), med(figures, pipeline + ".cpu.kafka"),
                    med(figures, pipeline + ".cpu.machine")));
        }
        md.append("\n## The application itself\n\n| Figure | Value |\n|---|---:|\n");
        md.append(String.format("| Start-up to ready (`/health` 200), -Xmx512m | %.1f s |%n", med(figures, "startup.seconds")));
        md.append(String.format("| Peak RSS during the payments drain | %.0f MiB |%n", med(figures, "payments.rss.mb")));
        md.append(String.format("| Peak heap used during the payments drain | %.0f MiB |%n", med(figures, "payments.heap.mb")));
        md.append(String.format("| Peak RSS during the events drain | %.0f MiB |%n", med(figures, "events.rss.mb")));
        md.append(String.format("| Peak heap used during the events drain | %.0f MiB |%n", med(figures, "events.heap.mb")));
        Path notes = Path.of("bench/NOTES.md");
        if (Files.exists(notes)) {
            // The analysis of the figures lives beside the harness, so a new run keeps it.
            md.append("\n").append(Files.readString(notes));
        }
        Files.writeString(file, md.toString());
    }

    private static String row(String name, double rate, String vsRaw, String vsBaseline) {
        return String.format("| %s | %.0f | %s | %s |%n", name, rate, vsRaw, vsBaseline);
    }

    private static String pct(double ratio) {
        return String.format("%.0f%%", ratio * 100);
    }

    private static double med(Map<String, List<Double>> figures, String key) {
        return Stats.median(figures.getOrDefault(key, List.of()));
    }

    private static double totalMemoryGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return Double.NaN;
    }
}
