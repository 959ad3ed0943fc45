package com.ingestrouter.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.RestRegistry;
import org.apache.camel.StartupListener;
import io.vertx.ext.web.Router;
import java.lang.reflect.Field;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON bodies for the answers the HTTP server gives before any route runs: a body over
 * {@code camel.server.maxBodySize} (413, while it is still arriving, so it is never buffered whole), a
 * path it cannot decode such as {@code %zz} (400), no route (404), a method no REST DSL verb of that path
 * takes (405, with the Allow header those verbs make). Vert.x answers those itself, in plain text;
 * clients of this API read JSON errors only. The bodies are {@link HttpErrors}'.
 */
public final class ServerErrors implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(ServerErrors.class);
    private final HttpErrors http;
    private final int port;
    private final long maxBodyBytes;
    private volatile CamelContext context;

    public ServerErrors(HttpErrors http, int port, long maxBodyBytes) {
        this.http = http;
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // The router exists once the server has started; see onCamelContextFullyStarted.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        this.context = context;
        Router router;
        try {
            router = rootRouter(context);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Only the error bodies are at stake (the limits hold regardless): say so and keep serving.
            LOG.warn("HTTP server errors stay plain text: cannot reach the Vert.x root router ({})", e.toString());
            return;
        }
        router.errorHandler(400, ctx -> answer(ctx, 400, "bad request: " + reason(ctx, "the request line or path cannot be read")));
        router.errorHandler(404, ctx -> answer(ctx, 404, "no such resource: " + ctx.request().path()));
        router.errorHandler(405, ctx -> {
            String allowed = allowed(ctx.request().path());
            if (!allowed.isEmpty()) {
                ctx.response().putHeader("Allow", allowed);
            }
            answer(ctx, 405, HttpErrors.methodNotAllowed(ctx.request().method().name(), allowed));
        });
        router.errorHandler(413, ctx -> answer(ctx, 413, "body exceeds " + maxBodyBytes + " bytes"));
        router.errorHandler(500, ctx -> answer(ctx, 500, "internal error"));
    }

    /**
     * The server's root router. Camel hands out only the sub-router its routes live on (registry entry
     * {@code platform-http-router}), and Vert.x answers 400/404/405 and the root's failures from the root's
     * error handlers, not the sub-router's. Camel 4.17 has no getter for the root, hence the two private
     * fields; HostileInputTest fails if an upgrade renames them.
     */
    private Router rootRouter(CamelContext context) throws ReflectiveOperationException {
        MainHttpServer main = context.hasService(MainHttpServer.class);
        if (main == null || main.getPort() != port) {
            throw new IllegalStateException("no HTTP server on port " + port);
        }
        Field serverField = MainHttpServer.class.getDeclaredField("server");
        serverField.setAccessible(true);
        VertxPlatformHttpServer server = (VertxPlatformHttpServer) serverField.get(main);
        Field routerField = VertxPlatformHttpServer.class.getDeclaredField("router");
        routerField.setAccessible(true);
        return (Router) routerField.get(server);
    }

    /** The methods of the REST DSL verbs whose path template matches {@code path} ("GET,DELETE"). */
    String allowed(String path) {
        Set<String> methods = new TreeSet<>();
        for (RestRegistry.RestService service : context.getRestRegistry().listAllRestServices()) {
            String template = (service.getBasePath() == null ? "" : service.getBasePath())
                    + (service.getUriTemplate() == null ? "" : service.getUriTemplate());
            if (template(template).matcher(path).matches()) {
                methods.add(service.getMethod().toUpperCase(Locale.ROOT));
            }
        }
        return String.join(",", methods);
    }

    /** {@code /dlq/{pipeline}/replay} as a pattern: each {@code {name}} is one path segment. */
    static Pattern template(String template) {
        String normalised = ("/" + template).replaceAll("/+", "/").replaceAll("(.)/$", "$1");
        StringBuilder regex = new StringBuilder();
        for (String part : normalised.split("(?=\\{)|(?<=})")) {
            regex.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static String reason(RoutingContext ctx, String fallback) {
        return ctx.failure() == null || ctx.failure().getMessage() == null ? fallback : ctx.failure().getMessage();
    }

    private void answer(RoutingContext ctx, int status, String error) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        String body = http.errorBody(error);
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 413) {
            // Tells the client to stop sending. Vert.x drops whatever still arrives, unbuffered; closing
            // the socket here instead could reset it before the client has read this answer.
            response.putHeader("Connection", "close");
        }
        response.end(body);
    }
}
