package com.ingestrouter.events;

import com.ingestrouter.support.TestDatabase;

/** The contract through MariaDB Connector/J and its bulk batches (jdbc:mariadb:), not mysql-connector-j. */
class EventsOnMariaDbConnectorTest extends EventsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB_CONNECTOR;
    }
}
