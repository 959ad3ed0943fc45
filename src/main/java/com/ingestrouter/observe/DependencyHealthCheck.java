package com.ingestrouter.observe;

import com.ingestrouter.config.DependencyCheck;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A dependency probe as a Camel health check, so /health, Camel's /observe/health, Hawtio and
 * {@code camel get health} all ask the same registry. Readiness only: while a dependency is down the
 * app retries in place and must not be restarted for it.
 */
public final class DependencyHealthCheck extends AbstractHealthCheck {
    /** The group /health lists in full; Camel's own checks appear there only when not UP. */
    public static final String GROUP = "dependencies";
    public static final String ADDRESS = "address";
    private final DependencyCheck dependency;

    DependencyHealthCheck(DependencyCheck dependency) {
        super(GROUP, dependency.name());
        this.dependency = dependency;
    }

    public static void registerAll(CamelContext context, List<DependencyCheck> dependencies) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            throw new IllegalStateException("no Camel HealthCheckRegistry: camel-health must be on the classpath");
        }
        for (DependencyCheck dependency : dependencies) {
            registry.register(new DependencyHealthCheck(dependency));
        }
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail(ADDRESS, Redaction.redact(dependency.address()));
        try {
            dependency.probe().check();
            builder.up();
        } catch (Exception e) {
            // The message reaches /health and Camel's /observe/health: a driver may echo the user in it.
            // The exception itself is not attached: /observe/health would print its own message (and its
            // causes') unredacted. DependencyWait and the failing route log it, redacted.
            builder.down().message(Redaction.redact(String.valueOf(e.getMessage())));
        }
    }
}
