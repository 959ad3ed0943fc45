package com.ingestrouter.events;

/** The five event types of the events pipeline, with the data field each one is partitioned by. */
public enum EventType {
    UserCreated("userId"),
    OrderPlaced("orderId"),
    PaymentSettled("orderId"),
    InventoryAdjusted("sku"),
    ProductReview("reviewId");

    private final String keyField;

    EventType(String keyField) {
        this.keyField = keyField;
    }

    /** The data field whose value is the Kafka record key (so one entity's events stay in order). */
    public String keyField() {
        return keyField;
    }
}
