CREATE TABLE kafka_users (
    user_id    VARCHAR(64) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    name       VARCHAR(255) NOT NULL,
    email      VARCHAR(255) NOT NULL,
    created_at TIMESTAMP(3) NOT NULL
) DEFAULT CHARSET = utf8mb4;
