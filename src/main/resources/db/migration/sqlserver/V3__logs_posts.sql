-- Pipelines logs and posts. (V2 belongs to another branch; Flyway accepts the gap.) Verified under
-- compose only: no SQL Server engine runs on the development machines.
-- logs: the record as sent, as NVARCHAR(MAX) that must be JSON; level lifted from it (lower-cased).
CREATE TABLE logs (
    id          UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    data        NVARCHAR(MAX)    NOT NULL CONSTRAINT ck_logs_data_is_json CHECK (ISJSON(data) = 1),
    level       NVARCHAR(64),
    inserted_at DATETIME2(6)     NOT NULL DEFAULT SYSUTCDATETIME()
);
CREATE INDEX ix_logs_inserted_at ON logs (inserted_at);
CREATE INDEX ix_logs_level ON logs (level, inserted_at);

-- posts: items pulled from an HTTP API, upserted by id.
CREATE TABLE posts (
    id          BIGINT         NOT NULL PRIMARY KEY,
    user_id     BIGINT         NOT NULL,
    title       NVARCHAR(MAX)  NOT NULL,
    body        NVARCHAR(MAX)  NOT NULL,
    source      NVARCHAR(2048) NOT NULL,
    ingested_at DATETIME2(6)   NOT NULL
);

-- One row per pull run of any pipeline.
CREATE TABLE ingestion_runs (
    id          BIGINT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    pipeline    VARCHAR(64)    NOT NULL,
    started_at  DATETIME2(6)   NOT NULL,
    finished_at DATETIME2(6),
    status      VARCHAR(16)    NOT NULL CHECK (status IN ('running', 'success', 'failed')),
    records     INT            NOT NULL DEFAULT 0,
    error       NVARCHAR(2000)
);
CREATE INDEX ix_ingestion_runs_pipeline ON ingestion_runs (pipeline, id);
