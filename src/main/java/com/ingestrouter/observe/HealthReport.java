package com.ingestrouter.observe;

import com.ingestrouter.http.HttpErrors;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * GET /health (= /health/ready) and /health/live on the public port: views of Camel's health-check
 * registry, the one behind /observe/health. Readiness is every readiness check (the dependencies,
 * Camel's context, routes and consumers); liveness is Camel's liveness checks only, so a dependency
 * outage makes the app unready but never gets it restarted. 200 when UP, else 503.
 */
public final class HealthReport {
    private final CamelContext context;
    private final HttpErrors http;

    public HealthReport(CamelContext context, HttpErrors http) {
        this.context = context;
        this.http = http;
    }

    /** Lists every dependency, and any other readiness check that is not UP. */
    public void ready(Exchange exchange) {
        answer(exchange, HealthCheckHelper.invokeReadiness(context, "full"), true);
    }

    public void live(Exchange exchange) {
        answer(exchange, HealthCheckHelper.invokeLiveness(context, "full"), false);
    }

    private void answer(Exchange exchange, Collection<HealthCheck.Result> results, boolean readiness) {
        Map<String, Object> dependencies = new LinkedHashMap<>();
        Map<String, Object> others = new LinkedHashMap<>();
        for (HealthCheck.Result result : results) {
            boolean dependency = DependencyHealthCheck.GROUP.equals(result.getCheck().getGroup());
            if (dependency || !readiness || result.getState() != HealthCheck.State.UP) {
                (dependency ? dependencies : others).put(result.getCheck().getId(), describe(result));
            }
        }
        Map<String, Object> checks = new LinkedHashMap<>(dependencies);
        checks.putAll(others);
        boolean up = HealthCheckHelper.isResultsUp(results, readiness);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        http.answer(exchange, up ? 200 : 503, body);
    }

    private static Map<String, Object> describe(HealthCheck.Result result) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("status", result.getState().name());
        if (result.getState() != HealthCheck.State.UP) {
            result.getMessage().ifPresent(message -> check.put("error", Redaction.redact(message)));
        }
        Object address = result.getDetails().get(DependencyHealthCheck.ADDRESS);
        if (address != null) {
            check.put("address", Redaction.redact(String.valueOf(address)));
        }
        return check;
    }
}
