-- Foundation: payments pipeline and the embedded dead-letter table. Timestamps are UTC (the pool sets
-- the session zone).
CREATE TABLE payment_events (
    payment_id     BIGINT         NOT NULL PRIMARY KEY,
    user_id        BIGINT         NOT NULL,
    deposit_amount DECIMAL(19, 4) NOT NULL,
    received_at    TIMESTAMP(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
);

CREATE TABLE skipped_messages (
    payment_id     BIGINT         NOT NULL PRIMARY KEY,
    user_id        BIGINT         NOT NULL,
    deposit_amount DECIMAL(19, 4) NOT NULL,
    received_at    TIMESTAMP(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
);

CREATE TABLE dead_letters (
    seq       BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    id        VARCHAR(36)  NOT NULL UNIQUE,
    pipeline  VARCHAR(64)  NOT NULL,
    event_id  VARCHAR(255) NOT NULL,
    envelope  LONGTEXT     NOT NULL,
    failed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ix_dead_letters_pipeline (pipeline, seq)
);
