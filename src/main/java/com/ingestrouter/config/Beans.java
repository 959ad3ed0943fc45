package com.ingestrouter.config;

import org.apache.camel.CamelContext;

/** Looks up a bean the shared wiring (IngestConfiguration) bound, failing clearly when it is not there. */
public final class Beans {
    private Beans() {
    }

    public static <T> T of(CamelContext context, String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("no bean " + name + " of type " + type.getSimpleName()
                    + " (bound by IngestConfiguration, which must run first)");
        }
        return bean;
    }
}
