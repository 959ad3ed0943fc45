package com.ingestrouter.events;

import com.ingestrouter.support.TestDatabase;

class EventsOnH2Test extends EventsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
