-- Pipeline events: commerce tables, the inventory ledger and the idempotency ledger. Timestamps are
-- instants (TIMESTAMPTZ).
CREATE TABLE processed_events (
    event_id      VARCHAR(255) NOT NULL PRIMARY KEY,
    event_type    VARCHAR(32)  NOT NULL,
    content_hash  CHAR(64)     NOT NULL,
    first_seen_at TIMESTAMPTZ  NOT NULL,
    applied_at    TIMESTAMPTZ  NOT NULL
);

CREATE TABLE users (
    user_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    email      VARCHAR(320) NOT NULL,
    name       VARCHAR(255) NOT NULL,
    first_name VARCHAR(255),
    last_name  VARCHAR(255),
    created_at TIMESTAMPTZ,
    event_id   VARCHAR(255) NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL,
    CONSTRAINT uq_users_email UNIQUE (email)
);
CREATE INDEX ix_users_recent ON users (created_at);

CREATE TABLE orders (
    order_id   VARCHAR(64)    NOT NULL PRIMARY KEY,
    user_id    VARCHAR(64)    NOT NULL,
    total      NUMERIC(19, 4) NOT NULL,
    currency   VARCHAR(3),
    status     VARCHAR(32),
    placed_at  TIMESTAMPTZ,
    event_id   VARCHAR(255)   NOT NULL,
    updated_at TIMESTAMPTZ    NOT NULL,
    CONSTRAINT ck_orders_total CHECK (total >= 0),
    CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (user_id)
);
CREATE INDEX ix_orders_user ON orders (user_id, placed_at);

CREATE TABLE order_items (
    order_id VARCHAR(64)    NOT NULL,
    line_no  INT            NOT NULL,
    sku      VARCHAR(64)    NOT NULL,
    quantity INT            NOT NULL,
    price    NUMERIC(19, 4) NOT NULL,
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT ck_order_items_quantity CHECK (quantity > 0),
    CONSTRAINT ck_order_items_price CHECK (price >= 0),
    CONSTRAINT fk_order_items_order FOREIGN KEY (order_id) REFERENCES orders (order_id)
);

CREATE TABLE payments (
    payment_key    VARCHAR(80)    NOT NULL PRIMARY KEY,
    payment_id     VARCHAR(64),
    order_id       VARCHAR(64)    NOT NULL,
    amount         NUMERIC(19, 4) NOT NULL,
    currency       VARCHAR(3),
    status         VARCHAR(32)    NOT NULL,
    payment_method VARCHAR(64),
    settled_at     TIMESTAMPTZ,
    event_id       VARCHAR(255)   NOT NULL,
    updated_at     TIMESTAMPTZ    NOT NULL,
    CONSTRAINT ck_payments_amount CHECK (amount >= 0),
    CONSTRAINT fk_payments_order FOREIGN KEY (order_id) REFERENCES orders (order_id)
);
CREATE INDEX ix_payments_order ON payments (order_id, updated_at);

CREATE TABLE inventory (
    sku        VARCHAR(64) NOT NULL PRIMARY KEY,
    quantity   BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE inventory_adjustments (
    event_id    VARCHAR(255) NOT NULL PRIMARY KEY,
    sku         VARCHAR(64)  NOT NULL,
    delta       BIGINT       NOT NULL,
    reason      VARCHAR(255),
    adjusted_at TIMESTAMPTZ,
    recorded_at TIMESTAMPTZ  NOT NULL
);
CREATE INDEX ix_inventory_adjustments_sku ON inventory_adjustments (sku);

CREATE TABLE product_reviews (
    review_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    product_name VARCHAR(255)  NOT NULL,
    username     VARCHAR(255)  NOT NULL,
    rating       SMALLINT      NOT NULL,
    remarks      VARCHAR(4000),
    created_at   TIMESTAMPTZ,
    event_id     VARCHAR(255)  NOT NULL,
    updated_at   TIMESTAMPTZ   NOT NULL,
    CONSTRAINT ck_product_reviews_rating CHECK (rating BETWEEN 1 AND 5)
);
CREATE INDEX ix_product_reviews_product ON product_reviews (product_name, created_at);
