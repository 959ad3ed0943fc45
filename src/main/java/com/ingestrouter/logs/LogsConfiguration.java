package com.ingestrouter.logs;

import com.ingestrouter.config.Beans;
import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.sql.Database;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The logs pipeline's own bean: its read API. Its writes are the blocks of routes/logs-consume.camel.yaml. */
public final class LogsConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) {
        context.getRegistry().bind("logQueries",
                new LogQueries(Beans.of(context, "database", Database.class), Beans.of(context, "httpErrors", HttpErrors.class)));
    }
}
