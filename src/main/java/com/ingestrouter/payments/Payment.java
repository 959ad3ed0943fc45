package com.ingestrouter.payments;

import java.math.BigDecimal;

/** A validated payment message. */
public record Payment(long userId, long paymentId, BigDecimal depositAmount) {
}
