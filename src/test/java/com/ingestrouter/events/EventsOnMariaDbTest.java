package com.ingestrouter.events;

import com.ingestrouter.support.TestDatabase;

class EventsOnMariaDbTest extends EventsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
