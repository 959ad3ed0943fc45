package com.ingestrouter.sink;

import com.ingestrouter.config.Beans;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Processor;

/**
 * What the block beans share: a kamelet creates one per use ({@code template.beans}), sets its
 * parameters through setters and injects the context, from which the block looks up the application's
 * beans (database, validator, metrics) when it first runs. A block is the kamelet's {@code process} step:
 * called directly, not through the bean component's reflection and parameter binding (a tenth of an
 * HTTP request's CPU went there).
 */
abstract class Block implements CamelContextAware, Processor {
    private CamelContext context;

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    <T> T lookup(String name, Class<T> type) {
        return Beans.of(context, name, type);
    }
}
