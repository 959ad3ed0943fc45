package com.ingestrouter.pull;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * A pull's settings are the parameters of its {@code templatedRoute} (routes/pull-template.camel.yaml),
 * read back from the route they created: the timer and POST /<pipeline>/ingest then run the very same
 * source, configured in one place. Parameter {@code url} becomes exchange property {@code pullUrl}, etc.
 */
public final class PullSources {
    /** Exchange property naming the templated route whose settings to use. */
    public static final String ROUTE = "pullRoute";
    private final CamelContext context;

    public PullSources(CamelContext context) {
        this.context = context;
    }

    public void load(Exchange exchange) {
        String routeId = exchange.getProperty(ROUTE, String.class);
        RouteDefinition route = routeId == null ? null
                : context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(routeId);
        if (route == null || !route.isCreatedFromTemplate()) {
            throw new IllegalStateException("no pull route '" + routeId + "' created from the http-pull template");
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (route.getTemplateDefaultParameters() != null) {
            parameters.putAll(route.getTemplateDefaultParameters());
        }
        parameters.putAll(route.getTemplateParameters());
        parameters.forEach((name, value) -> exchange.setProperty(property(name),
                context.resolvePropertyPlaceholders(String.valueOf(value))));
    }

    static String property(String parameter) {
        return "pull" + parameter.substring(0, 1).toUpperCase(Locale.ROOT) + parameter.substring(1);
    }
}
