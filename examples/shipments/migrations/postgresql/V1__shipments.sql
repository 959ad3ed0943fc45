CREATE TABLE shipments (
    shipment_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    order_id    VARCHAR(64)  NOT NULL,
    carrier     VARCHAR(64),
    status      VARCHAR(16)  NOT NULL CHECK (status IN ('created', 'in_transit', 'delivered', 'returned')),
    updated_at  TIMESTAMPTZ  NOT NULL
);
