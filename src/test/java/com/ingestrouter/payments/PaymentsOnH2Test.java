package com.ingestrouter.payments;

import com.ingestrouter.support.TestDatabase;

class PaymentsOnH2Test extends PaymentsPipelineContract {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
