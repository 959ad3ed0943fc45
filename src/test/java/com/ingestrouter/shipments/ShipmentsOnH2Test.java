package com.ingestrouter.shipments;

import com.ingestrouter.support.TestDatabase;

class ShipmentsOnH2Test extends ShipmentsExampleContract {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    void widenCarrier() {
        app.jdbc().execute("ALTER TABLE shipments ALTER COLUMN carrier VARCHAR(200)");
    }

    @Override
    void narrowCarrier() {
        app.jdbc().execute("ALTER TABLE shipments ALTER COLUMN carrier VARCHAR(64)");
    }
}
