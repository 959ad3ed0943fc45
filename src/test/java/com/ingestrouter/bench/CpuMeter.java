package com.ingestrouter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used by the processes of a drain (the app, the database, the broker) and by the whole machine,
 * between two snapshots, as % of one core: on 2 shared cores this says which part was the bound.
 * Reads /proc (clock ticks of 1/100 s, Linux's USER_HZ).
 */
final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0;
    private final Map<String, Long> pids;
    private long startNanos;
    private Map<String, Long> startTicks;
    private long startMachineBusy;

    CpuMeter(Map<String, Long> pids) {
        this.pids = pids;
    }

    /** The first process whose command line contains {@code needle}, or -1. */
    static long pidOf(String needle) {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains(needle)) {
                        return Long.parseLong(name);
                    }
                } catch (IOException gone) {
                    // the process ended while listing
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    void start() {
        startNanos = System.nanoTime();
        startTicks = ticks();
        startMachineBusy = machineBusyTicks();
    }

    boolean started() {
        return startTicks != null;
    }

    /** % of one core per process since {@link #start}, plus "machine" (all cores, so up to cores × 100). */
    Map<String, Double> stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Long> end = ticks();
        Map<String, Double> usage = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : end.entrySet()) {
            Long before = startTicks.get(e.getKey());
            if (before != null) {
                usage.put(e.getKey(), (e.getValue() - before) / TICKS_PER_SECOND / seconds * 100);
            }
        }
        usage.put("machine", (machineBusyTicks() - startMachineBusy) / TICKS_PER_SECOND / seconds * 100);
        return usage;
    }

    private Map<String, Long> ticks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
                ticks.put(name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (IOException | RuntimeException e) {
                // not running: left out
            }
        });
        return ticks;
    }

    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            for (int i = 1; i <= 8 && i < f.length; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException e) {
            return 0;
        }
    }
}
