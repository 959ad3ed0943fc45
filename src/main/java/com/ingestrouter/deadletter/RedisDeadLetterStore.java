package com.ingestrouter.deadletter;

import org.apache.camel.Service;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Per pipeline, a sorted set {@code dlq:<pipeline>} of entry ids in arrival order (score: a counter,
 * {@code dlq-seq:<pipeline>}) and a hash {@code dlq-entries:<pipeline>} from id to envelope. Paging, a
 * count and a removal by id cost O(log n), so a replay of n entries is O(n log n) and never scans; a
 * purge is one script, so an entry appended meanwhile is either purged and counted, or kept.
 *
 * <p>A Kafka record's letter also sets {@code dlq-seen:<pipeline>:<record>} (in the same script, so
 * both or neither), and a second letter for that record is not stored. A queue message's letter sets
 * one too, but only a broker redelivery is checked against it (see {@link DeadLetter#queueIdentity}).
 * The marker expires after {@link #SEEN_TTL_SECONDS}, Kafka's default retention: a record older than
 * that cannot be re-read.
 */
public final class RedisDeadLetterStore implements DeadLetterStore, AutoCloseable, Service {
    private static final Logger LOG = LoggerFactory.getLogger(RedisDeadLetterStore.class);
    static final String PREFIX = "dlq:";
    static final String ENTRIES_PREFIX = "dlq-entries:";
    static final String SEQUENCE_PREFIX = "dlq-seq:";
    static final String SEEN_PREFIX = "dlq-seen:";
    static final long SEEN_TTL_SECONDS = 7 * 24 * 3600;
    /** HMGET chunk: a replay of every entry must not build one reply of unbounded size. */
    private static final int CHUNK = 500;
    /** KEYS: ids, entries, sequence[, seen marker]; ARGV: id, envelope, marker ttl, check marker (1/0). */
    private static final String APPEND = "if KEYS[4] then "
            + "if ARGV[4] == '1' then if not redis.call('SET', KEYS[4], ARGV[1], 'NX', 'EX', ARGV[3]) then return 0 end "
            + "else redis.call('SET', KEYS[4], ARGV[1], 'EX', ARGV[3]) end end "
            + "redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) "
            + "redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[3]), ARGV[1]) return 1";
    private static final String REMOVE = "redis.call('HDEL', KEYS[2], ARGV[1]) return redis.call('ZREM', KEYS[1], ARGV[1])";
    private static final String PURGE = "local n = redis.call('ZCARD', KEYS[1]) redis.call('DEL', KEYS[1], KEYS[2]) return n";
    /** The list layout of earlier versions ({@code dlq:<pipeline>} a list of envelopes), moved over once. */
    private static final String FROM_LIST = "if redis.call('TYPE', KEYS[1])['ok'] ~= 'list' then return 0 end "
            + "local entries = redis.call('LRANGE', KEYS[1], 0, -1) redis.call('DEL', KEYS[1]) "
            + "for i, entry in ipairs(entries) do "
            + "local ok, letter = pcall(cjson.decode, entry) "
            + "local id = (ok and type(letter) == 'table' and type(letter['id']) == 'string') and letter['id'] "
            + "or ('unreadable-' .. redis.call('INCR', KEYS[3])) "
            + "redis.call('HSET', KEYS[2], id, entry) redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[3]), id) end "
            + "return #entries";
    private final RedisClient redis;
    private final ObjectMapper json;

    /**
     * The app's client: a pooled connection is checked (PING) when borrowed. After a Redis outage every
     * pooled connection is dead, and without the check each one failed one call: readiness stayed DOWN
     * and dead-letter writes backed off for one probe or retry per stale connection after Redis was back.
     * Dead-letter traffic is small, so the extra round trip costs nothing that matters.
     */
    public static RedisClient client(String url) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setTestOnBorrow(true);
        return RedisClient.builder().fromURI(java.net.URI.create(url)).poolConfig(pool).build();
    }

    public RedisDeadLetterStore(RedisClient redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    private static List<String> keys(String pipeline) {
        return List.of(PREFIX + pipeline, ENTRIES_PREFIX + pipeline, SEQUENCE_PREFIX + pipeline);
    }

    @Override
    public boolean append(DeadLetter letter) {
        List<String> keys = new ArrayList<>(keys(letter.pipeline()));
        String record = letter.recordIdentity();
        boolean check = record != null;
        if (record == null) {
            record = letter.queueIdentity();
            check = letter.redelivered();
        }
        if (record != null) {
            keys.add(SEEN_PREFIX + letter.pipeline() + ":" + record);
        }
        Object pushed = redis.eval(APPEND, keys, List.of(letter.id(), letter.toJson(json), Long.toString(SEEN_TTL_SECONDS),
                check ? "1" : "0"));
        return pushed instanceof Long count && count > 0;
    }

    @Override
    public List<DeadLetter> list(String pipeline, int offset, int limit) {
        List<String> ids = redis.zrange(PREFIX + pipeline, offset, offset + (long) limit - 1);
        List<DeadLetter> result = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            for (String entry : redis.hmget(ENTRIES_PREFIX + pipeline, chunk.toArray(String[]::new))) {
                // Null: removed between the two reads (a concurrent replay); it is gone, so not listed.
                if (entry != null) {
                    result.add(DeadLetter.fromJson(json, entry));
                }
            }
        }
        return result;
    }

    @Override
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        forEachKey("zset", key -> counts.put(key.substring(PREFIX.length()), redis.zcard(key)));
        return counts;
    }

    private void forEachKey(String type, java.util.function.Consumer<String> action) {
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match(PREFIX + "*").count(100);
        do {
            ScanResult<String> page = redis.scan(cursor, match, type);
            page.getResult().forEach(action);
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }

    @Override
    public long count(String pipeline) {
        return redis.zcard(PREFIX + pipeline);
    }

    @Override
    public boolean remove(String pipeline, String id) {
        Object removed = redis.eval(REMOVE, keys(pipeline), List.of(id));
        return removed instanceof Long count && count > 0;
    }

    @Override
    public long purge(String pipeline) {
        Object purged = redis.eval(PURGE, keys(pipeline), List.of());
        return purged instanceof Long count ? count : 0;
    }

    /** Moves the lists of an earlier version into this layout, each in one script (so nothing is lost). */
    void moveListsOver() {
        forEachKey("list", key -> {
            Object moved = redis.eval(FROM_LIST, keys(key.substring(PREFIX.length())), List.of());
            LOG.info("Dead letters of {} moved from a list to the id-indexed layout: {} entries", key, moved);
        });
    }

    @Override
    public void ping() {
        redis.ping();
    }

    @Override
    public String name() {
        return "redis";
    }



    /** Redis is reachable by now (the configuration waited for it). */
    @Override
    public void start() {
        moveListsOver();
    }

    /** Closed by Camel after the routes have stopped and in-flight messages finished. */
    @Override
    public void stop() {
        close();
    }

    @Override
    public void close() {
        redis.close();
    }
}
