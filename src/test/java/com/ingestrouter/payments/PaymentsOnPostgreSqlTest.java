package com.ingestrouter.payments;

import com.ingestrouter.support.TestDatabase;

class PaymentsOnPostgreSqlTest extends PaymentsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
