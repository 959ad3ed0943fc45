package com.ingestrouter.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A port the app listens on is taken. Vert.x only logs a failed bind, and Camel then starts without that
 * server: an app that runs, and reports healthy on the other port, but answers nobody. So the ports are
 * tried before Camel binds them, and start-up ends with one line instead.
 */
public final class PortInUse extends RuntimeException {
    PortInUse(String what, String host, int port, IOException cause) {
        super(what + " " + host + ":" + port + " cannot be bound (" + cause.getMessage() + "); free it or set another port", cause);
    }

    /** Binds and releases the port; 0 (any free port) is not checked. */
    static void requireFree(String what, String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            // As Vert.x binds: another socket in TIME_WAIT does not count as taken.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new PortInUse(what, host, port, e);
        }
    }
}
