package com.ingestrouter.events;

import com.ingestrouter.support.TestDatabase;

class EventsOnPostgreSqlTest extends EventsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
