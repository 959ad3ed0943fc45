package com.ingestrouter.http;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * Camel 4.17's engine finds "its" server by looking for a single Vert.x server; with the management
 * server on its own port (so Jolokia can stay on localhost) there are two, and it falls back to port
 * 8080. This engine is told the public port instead.
 */
public final class PublicPortHttpEngine extends VertxPlatformHttpEngine {
    private final int port;

    public PublicPortHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
