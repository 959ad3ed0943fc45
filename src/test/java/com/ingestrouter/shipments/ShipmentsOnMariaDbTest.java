package com.ingestrouter.shipments;

import com.ingestrouter.support.TestDatabase;

class ShipmentsOnMariaDbTest extends ShipmentsExampleContract {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    void widenCarrier() {
        app.jdbc().execute("ALTER TABLE shipments MODIFY carrier VARCHAR(200)");
    }

    @Override
    void narrowCarrier() {
        app.jdbc().execute("ALTER TABLE shipments MODIFY carrier VARCHAR(64)");
    }
}
