package com.ingestrouter.deadletter;

import org.apache.camel.Service;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * One Redis list per pipeline, {@code dlq:<pipeline>}, appended with RPUSH. A letter with a log position
 * also sets {@code dlq-seen:<pipeline>:<position>} (in the same script, so both or neither), and a second
 * letter for that position is not stored. The marker expires after {@link #SEEN_TTL_SECONDS}, Kafka's
 * default retention: a record older than that cannot be re-read anyway.
 */
public final class RedisDeadLetterStore implements DeadLetterStore, AutoCloseable, Service {
    static final String PREFIX = "dlq:";
    static final String SEEN_PREFIX = "dlq-seen:";
    static final long SEEN_TTL_SECONDS = 7 * 24 * 3600;
    private static final String REMOVE_BY_ID = "for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do "
            + "local ok, letter = pcall(cjson.decode, entry) "
            + "if ok and letter['id'] == ARGV[1] then return redis.call('LREM', KEYS[1], 1, entry) end end return 0";
    private static final String APPEND_ONCE = "if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', ARGV[3]) then "
            + "return redis.call('RPUSH', KEYS[1], ARGV[1]) else return 0 end";
    private final RedisClient redis;
    private final ObjectMapper json;

    public RedisDeadLetterStore(RedisClient redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    @Override
    public boolean append(DeadLetter letter) {
        String position = letter.position();
        if (position == null) {
            redis.rpush(PREFIX + letter.pipeline(), letter.toJson(json));
            return true;
        }
        Object pushed = redis.eval(APPEND_ONCE,
                List.of(PREFIX + letter.pipeline(), SEEN_PREFIX + letter.pipeline() + ":" + position),
                List.of(letter.toJson(json), letter.id(), Long.toString(SEEN_TTL_SECONDS)));
        return pushed instanceof Long count && count > 0;
    }

    @Override
    public List<DeadLetter> list(String pipeline, int offset, int limit) {
        List<DeadLetter> result = new ArrayList<>();
        for (String entry : redis.lrange(PREFIX + pipeline, offset, offset + limit - 1L)) {
            result.add(DeadLetter.fromJson(json, entry));
        }
        return result;
    }

    @Override
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match(PREFIX + "*").count(100);
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            for (String key : page.getResult()) {
                counts.put(key.substring(PREFIX.length()), redis.llen(key));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return counts;
    }

    @Override
    public long count(String pipeline) {
        return redis.llen(PREFIX + pipeline);
    }

    /** Finds the entry inside Redis: a replay of n entries does not read the whole list n times. */
    @Override
    public boolean remove(String pipeline, String id) {
        Object removed = redis.eval(REMOVE_BY_ID, List.of(PREFIX + pipeline), List.of(id));
        return removed instanceof Long count && count > 0;
    }

    @Override
    public long purge(String pipeline) {
        long count = redis.llen(PREFIX + pipeline);
        redis.del(PREFIX + pipeline);
        return count;
    }

    @Override
    public void ping() {
        redis.ping();
    }

    @Override
    public String name() {
        return "redis";
    }



    @Override
    public void start() {
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
