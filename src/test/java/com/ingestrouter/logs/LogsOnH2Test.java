package com.ingestrouter.logs;

import com.ingestrouter.support.TestDatabase;

class LogsOnH2Test extends LogsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
