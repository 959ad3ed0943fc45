-- A binary collation, so keys compare byte for byte as on the other dialects.
CREATE TABLE shipments (
    shipment_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    order_id    NVARCHAR(64) NOT NULL,
    carrier     NVARCHAR(64),
    status      NVARCHAR(16) NOT NULL CHECK (status IN ('created', 'in_transit', 'delivered', 'returned')),
    updated_at  DATETIME2(6) NOT NULL
);
