-- Pipelines logs and posts. (V2 belongs to another branch; Flyway accepts the gap.)
-- logs: the record as sent, in a JSON column (MariaDB: LONGTEXT with a JSON_VALID check, so the text
-- is kept byte for byte); level lifted from it (lower-cased) for filtering. Timestamps are UTC.
CREATE TABLE logs (
    id          CHAR(36)     NOT NULL PRIMARY KEY,
    data        JSON         NOT NULL,
    level       VARCHAR(64),
    inserted_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ix_logs_inserted_at (inserted_at),
    KEY ix_logs_level (level, inserted_at)
) DEFAULT CHARSET = utf8mb4;

-- posts: items pulled from an HTTP API, upserted by id.
CREATE TABLE posts (
    id          BIGINT        NOT NULL PRIMARY KEY,
    user_id     BIGINT        NOT NULL,
    title       TEXT          NOT NULL,
    body        MEDIUMTEXT    NOT NULL,
    source      VARCHAR(2048) NOT NULL,
    ingested_at TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) DEFAULT CHARSET = utf8mb4;

-- One row per pull run of any pipeline.
CREATE TABLE ingestion_runs (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    pipeline    VARCHAR(64)   NOT NULL,
    started_at  TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    finished_at TIMESTAMP(6)  NULL,
    status      VARCHAR(16)   NOT NULL CHECK (status IN ('running', 'success', 'failed')),
    records     INT           NOT NULL DEFAULT 0,
    error       VARCHAR(2000),
    KEY ix_ingestion_runs_pipeline (pipeline, id)
) DEFAULT CHARSET = utf8mb4;
