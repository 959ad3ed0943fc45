package com.ingestrouter.observe;

import com.ingestrouter.config.DependencyCheck;
import com.ingestrouter.http.HttpErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** GET /health: 200 when every dependency answers, else 503 with the failing ones marked DOWN. */
public final class HealthReport {
    private final List<DependencyCheck> dependencies;
    private final HttpErrors http;

    public HealthReport(List<DependencyCheck> dependencies, HttpErrors http) {
        this.dependencies = dependencies;
        this.http = http;
    }

    public void report(Exchange exchange) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean up = true;
        for (DependencyCheck dependency : dependencies) {
            Map<String, Object> check = new LinkedHashMap<>();
            try {
                dependency.probe().check();
                check.put("status", "UP");
            } catch (Exception e) {
                up = false;
                check.put("status", "DOWN");
                check.put("error", String.valueOf(e.getMessage()));
            }
            check.put("address", dependency.address());
            checks.put(dependency.name(), check);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        http.answer(exchange, up ? 200 : 503, body);
    }
}
