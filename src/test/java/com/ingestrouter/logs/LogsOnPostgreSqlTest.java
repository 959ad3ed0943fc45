package com.ingestrouter.logs;

import com.ingestrouter.support.TestDatabase;

class LogsOnPostgreSqlTest extends LogsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
