package com.ingestrouter.deadletter;

import org.apache.camel.Service;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** One Redis list per pipeline, {@code dlq:<pipeline>}, appended with RPUSH. */
public final class RedisDeadLetterStore implements DeadLetterStore, AutoCloseable, Service {
    static final String PREFIX = "dlq:";
    private final JedisPooled redis;
    private final ObjectMapper json;

    public RedisDeadLetterStore(JedisPooled redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    @Override
    public void append(DeadLetter letter) {
        redis.rpush(PREFIX + letter.pipeline(), letter.toJson(json));
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
    public boolean remove(String pipeline, String id) {
        for (String entry : redis.lrange(PREFIX + pipeline, 0, -1)) {
            if (id.equals(DeadLetter.fromJson(json, entry).id())) {
                return redis.lrem(PREFIX + pipeline, 1, entry) > 0;
            }
        }
        return false;
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
