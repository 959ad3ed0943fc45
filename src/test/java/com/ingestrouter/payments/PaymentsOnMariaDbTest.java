package com.ingestrouter.payments;

import com.ingestrouter.support.TestDatabase;

class PaymentsOnMariaDbTest extends PaymentsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
