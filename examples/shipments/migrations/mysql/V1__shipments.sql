-- Keys compare byte for byte (utf8mb4_bin): S1 and s1 are two shipments, as on PostgreSQL.
CREATE TABLE shipments (
    shipment_id VARCHAR(64) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    order_id    VARCHAR(64)  NOT NULL,
    carrier     VARCHAR(64),
    status      VARCHAR(16)  NOT NULL CHECK (status IN ('created', 'in_transit', 'delivered', 'returned')),
    updated_at  TIMESTAMP(6) NOT NULL
) DEFAULT CHARSET = utf8mb4;
