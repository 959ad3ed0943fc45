package com.ingestrouter;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says so when a SIGTERM/Ctrl-C starts the graceful stop (consumers stop, in-flight messages finish). */
final class ShutdownLogger extends MainListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownLogger.class);

    @Override
    public void beforeStop(BaseMainSupport main) {
        LOG.info("Shutting down gracefully");
    }
}
