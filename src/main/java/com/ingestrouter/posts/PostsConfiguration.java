package com.ingestrouter.posts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Beans;
import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.pull.HttpPull;
import com.ingestrouter.pull.PullItems;
import com.ingestrouter.pull.PullRuns;
import com.ingestrouter.pull.PullSources;
import com.ingestrouter.sql.Database;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The posts pipeline's beans: the scheduled-pull machinery its source block uses (routes/pull-*.camel.yaml,
 * shared by any pull source) and its read API. Its writes are the blocks of routes/posts-pull.camel.yaml.
 */
public final class PostsConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        Database db = Beans.of(context, "database", Database.class);
        HttpErrors http = Beans.of(context, "httpErrors", HttpErrors.class);
        registry.bind("pullSources", new PullSources(context));
        registry.bind("httpPull", new HttpPull(context));
        registry.bind("pullRuns", new PullRuns(db, Beans.of(context, "metrics", Metrics.class), http));
        registry.bind("pullItems", new PullItems(Beans.of(context, "objectMapper", ObjectMapper.class),
                Beans.of(context, "intake", Intake.class)));
        registry.bind("postQueries", new PostQueries(db, http));
    }
}
