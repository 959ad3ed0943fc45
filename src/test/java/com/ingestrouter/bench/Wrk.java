package com.ingestrouter.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * wrk (Debian's package) as the load generator, when it is installed: a closed loop like {@link HttpLoad},
 * but in C with 2 threads, so the generator takes far less of the 2 cores it shares with the app than the
 * JDK's client does. Each request carries a fresh id: {@code {id}} in the body or path is replaced by a
 * number unique over the run.
 */
final class Wrk {
    private Wrk() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(5, TimeUnit.SECONDS);
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * @param paths the request paths, taken in turn ({@code {id}} replaced); one for a POST load
     * @param body the JSON body, or null for a GET
     * @param firstId ids start above it; each thread gets its own block of a million
     */
    static HttpLoad.Result run(int concurrency, Duration duration, URI base, List<String> paths, String body, long firstId)
            throws IOException, InterruptedException {
        int threads = Math.min(2, concurrency);
        StringBuilder lua = new StringBuilder();
        lua.append("local paths = {");
        for (String path : paths) {
            lua.append(quote(path)).append(",");
        }
        lua.append("}\n")
                .append("local body = ").append(body == null ? "nil" : quote(body)).append("\n")
                .append("local n = 0\nlocal threads = 0\n")
                .append("function setup(thread) thread:set('base', ").append(firstId)
                .append(" + threads * 1000000); threads = threads + 1 end\n")
                .append("request = function()\n  n = n + 1\n  local id = string.format('%d', base + n)\n")
                .append("  local path = string.gsub(paths[(n % #paths) + 1], '{id}', id)\n")
                .append("  if body == nil then return wrk.format('GET', path) end\n")
                .append("  return wrk.format('POST', path, {['Content-Type'] = 'application/json'}, (string.gsub(body, '{id}', id)))\nend\n")
                .append("done = function(s, latency, r)\n")
                .append("  io.write(string.format('WRK_RESULT %d %d %d %d %f %f\\n', s.requests, s.duration, s.errors.status,")
                .append(" s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout,")
                .append(" latency:percentile(50), latency:percentile(99)))\nend\n");
        Path script = Files.createTempFile("bench-wrk", ".lua");
        try {
            Files.writeString(script, lua);
            Process p = new ProcessBuilder("wrk", "-t" + threads, "-c" + concurrency, "-d" + duration.toSeconds() + "s",
                    "--timeout", "10s", "-s", script.toString(), base.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("wrk failed: " + out);
            }
            String line = out.lines().filter(l -> l.startsWith("WRK_RESULT ")).findFirst()
                    .orElseThrow(() -> new IOException("no result from wrk: " + out));
            String[] f = line.split(" ");
            long requests = Long.parseLong(f[1]);
            double seconds = Long.parseLong(f[2]) / 1e6;
            long errors = Long.parseLong(f[3]) + Long.parseLong(f[4]);
            return new HttpLoad.Result(concurrency, requests / seconds, Double.parseDouble(f[5]) / 1000,
                    Double.parseDouble(f[6]) / 1000, errors, requests);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
