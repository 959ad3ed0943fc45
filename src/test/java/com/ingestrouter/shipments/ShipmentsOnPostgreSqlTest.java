package com.ingestrouter.shipments;

import com.ingestrouter.support.TestDatabase;

class ShipmentsOnPostgreSqlTest extends ShipmentsExampleContract {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    void widenCarrier() {
        app.jdbc().execute("ALTER TABLE shipments ALTER COLUMN carrier TYPE VARCHAR(200)");
    }

    @Override
    void narrowCarrier() {
        app.jdbc().execute("ALTER TABLE shipments ALTER COLUMN carrier TYPE VARCHAR(64)");
    }
}
