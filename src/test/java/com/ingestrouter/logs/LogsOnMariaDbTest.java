package com.ingestrouter.logs;

import com.ingestrouter.support.TestDatabase;

class LogsOnMariaDbTest extends LogsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
