package com.ingestrouter.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.rest.RestEndpoint;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * http_requests_total{method,path,status} and http_latency_seconds for every REST DSL route, in one
 * place rather than a step in each route. The path label is the verb's template ({@code /users/{id}}),
 * never the concrete URL, so the label set stays small.
 */
public final class HttpMetricsPolicy implements RoutePolicyFactory {
    private static final String METHOD = "httpMetricsMethod";
    private static final java.util.Set<String> STANDARD_METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private final Metrics metrics;

    public HttpMetricsPolicy(Metrics metrics) {
        this.metrics = metrics;
    }

    /**
     * The method as a label: any token is a valid HTTP method, so a client could make a new time series
     * per request. The standard ones keep their name; the rest count as "other".
     */
    static String label(String method) {
        return STANDARD_METHODS.contains(method) ? method : "other";
    }

    /** The rest's path and the verb's, joined as the OpenAPI document names them. */
    static String template(String path, String uriTemplate) {
        String joined = "/" + (path == null ? "" : path) + "/" + (uriTemplate == null ? "" : uriTemplate);
        joined = joined.replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            private String path;

            @Override
            public void onInit(Route r) {
                path = r.getEndpoint() instanceof RestEndpoint rest ? template(rest.getPath(), rest.getUriTemplate()) : null;
            }

            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
                // Routes may clear headers (before publishing): keep the method for onExchangeDone.
                exchange.setProperty(METHOD, exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "GET", String.class));
            }

            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
                if (path == null) {
                    return;
                }
                Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                int code = status != null ? status : exchange.getException() != null ? 500 : 200;
                String method = label(exchange.getProperty(METHOD, "GET", String.class));
                metrics.http(method, path, code, exchange.getClock().elapsed() * 1_000_000L);
            }
        };
    }
}
