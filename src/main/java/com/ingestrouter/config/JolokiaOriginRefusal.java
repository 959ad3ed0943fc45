package com.ingestrouter.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.observe.Redaction;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin;

/**
 * Camel's Jolokia plugin, with Jolokia's refusal of an Origin (or Referer) that {@code <cors>} in
 * jolokia-access.xml does not allow answered as Jolokia answers it elsewhere: 403 with
 * {@code {"error_type":"java.lang.SecurityException","error":...,"status":403}}. Camel 4.17's plugin calls
 * Jolokia's access check by reflection and answers whatever it throws as a 500 (an
 * InvocationTargetException). Bound as the platform-http plugin {@code jolokia}, it replaces Camel's.
 */
public final class JolokiaOriginRefusal extends DefaultJolokiaPlatformHttpPlugin {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    @SuppressWarnings("unchecked")
    public Object getHandler() {
        Handler<RoutingContext> jolokia = (Handler<RoutingContext>) super.getHandler();
        return (Handler<RoutingContext>) ctx -> {
            HttpServerRequest request = ctx.request();
            String host = request.remoteAddress() == null ? "" : request.remoteAddress().host();
            try {
                // The same check, with the same arguments, that the plugin makes first.
                getJolokiaRequestHandler().checkAccess(request.scheme(), host, host, originOrReferer(request));
            } catch (SecurityException refused) {
                ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(body(refused));
                return;
            }
            jolokia.handle(ctx);
        };
    }

    private static String originOrReferer(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            origin = request.getHeader(HttpHeaders.REFERER);
        }
        return origin == null ? "" : origin.replaceAll("[\\n\\r]*", "");
    }

    private static String body(SecurityException refused) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_type", SecurityException.class.getName());
        body.put("error", Redaction.redact(String.valueOf(refused.getMessage())));
        body.put("status", 403);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return "{\"status\":403}";
        }
    }
}
