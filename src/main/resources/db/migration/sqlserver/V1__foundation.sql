-- Foundation: payments pipeline and the embedded dead-letter table. Verified under compose only.
CREATE TABLE payment_events (
    payment_id     BIGINT         NOT NULL PRIMARY KEY,
    user_id        BIGINT         NOT NULL,
    deposit_amount DECIMAL(19, 4) NOT NULL,
    received_at    DATETIME2(6)   NOT NULL DEFAULT SYSUTCDATETIME()
);

CREATE TABLE skipped_messages (
    payment_id     BIGINT         NOT NULL PRIMARY KEY,
    user_id        BIGINT         NOT NULL,
    deposit_amount DECIMAL(19, 4) NOT NULL,
    received_at    DATETIME2(6)   NOT NULL DEFAULT SYSUTCDATETIME()
);

CREATE TABLE dead_letters (
    seq       BIGINT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    id        VARCHAR(36)   NOT NULL UNIQUE,
    pipeline  VARCHAR(64)   NOT NULL,
    event_id  NVARCHAR(255) NOT NULL,
    envelope  NVARCHAR(MAX) NOT NULL,
    failed_at DATETIME2(6)  NOT NULL DEFAULT SYSUTCDATETIME()
);
CREATE INDEX ix_dead_letters_pipeline ON dead_letters (pipeline, seq);
