package com.ingestrouter.sink;

import com.ingestrouter.config.Beans;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * What the block beans share: a kamelet creates one per use ({@code template.beans}), sets its
 * parameters through setters and injects the context, from which the block looks up the application's
 * beans (database, validator, metrics) when it first runs.
 */
abstract class Block implements CamelContextAware {
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
