-- Keys and ids compare exactly, as on PostgreSQL. The server default collation
-- (SQL_Latin1_General_CP1_CI_AS) made 'Carol' and 'carol' one key, and VARCHAR kept only code page
-- 1252, so two ids in another script could both become '??'. Every key and id column becomes
-- NVARCHAR (UTF-16, same length in characters as on the other dialects) with a binary collation:
-- equal only when every character is. That only splits keys that were equal before and loses no
-- character, so no existing row can clash or be cut.
-- SQL Server will not alter a column under a key, foreign key or index: they are dropped first and
-- re-created after, the primary keys (unnamed in V1/V2, so found in the catalog) now with names.
ALTER TABLE orders DROP CONSTRAINT fk_orders_user;
ALTER TABLE order_items DROP CONSTRAINT fk_order_items_order;
ALTER TABLE payments DROP CONSTRAINT fk_payments_order;
DROP INDEX ix_orders_user ON orders;
DROP INDEX ix_payments_order ON payments;
DROP INDEX ix_inventory_adjustments_sku ON inventory_adjustments;
DROP INDEX ix_product_reviews_product ON product_reviews;
DROP INDEX ix_dead_letters_pipeline ON dead_letters;
DROP INDEX ix_ingestion_runs_pipeline ON ingestion_runs;
GO

-- One batch: the variable lives only as long as its batch.
DECLARE @drop NVARCHAR(MAX) = N''
SELECT @drop = @drop + N'ALTER TABLE ' + QUOTENAME(OBJECT_NAME(parent_object_id)) + N' DROP CONSTRAINT ' + QUOTENAME(name) + N'; '
FROM sys.key_constraints
WHERE (type = 'PK' AND OBJECT_NAME(parent_object_id) IN (N'processed_events', N'users', N'orders', N'order_items', N'payments', N'inventory', N'inventory_adjustments', N'product_reviews'))
   OR (type = 'UQ' AND OBJECT_NAME(parent_object_id) IN (N'users', N'dead_letters'))
EXEC sp_executesql @drop
GO

ALTER TABLE processed_events ALTER COLUMN event_id NVARCHAR(255) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE users ALTER COLUMN user_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE users ALTER COLUMN email NVARCHAR(320) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE users ALTER COLUMN event_id NVARCHAR(255) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE orders ALTER COLUMN order_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE orders ALTER COLUMN user_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE orders ALTER COLUMN event_id NVARCHAR(255) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE order_items ALTER COLUMN order_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE order_items ALTER COLUMN sku NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE payments ALTER COLUMN payment_key NVARCHAR(80) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE payments ALTER COLUMN payment_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE payments ALTER COLUMN order_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE payments ALTER COLUMN event_id NVARCHAR(255) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE inventory ALTER COLUMN sku NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE inventory_adjustments ALTER COLUMN event_id NVARCHAR(255) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE inventory_adjustments ALTER COLUMN sku NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE product_reviews ALTER COLUMN review_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE product_reviews ALTER COLUMN product_name NVARCHAR(255) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE product_reviews ALTER COLUMN event_id NVARCHAR(255) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dead_letters ALTER COLUMN id NVARCHAR(36) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dead_letters ALTER COLUMN pipeline NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dead_letters ALTER COLUMN event_id NVARCHAR(255) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE ingestion_runs ALTER COLUMN pipeline NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
GO

ALTER TABLE processed_events ADD CONSTRAINT pk_processed_events PRIMARY KEY (event_id);
ALTER TABLE users ADD CONSTRAINT pk_users PRIMARY KEY (user_id);
ALTER TABLE orders ADD CONSTRAINT pk_orders PRIMARY KEY (order_id);
ALTER TABLE order_items ADD CONSTRAINT pk_order_items PRIMARY KEY (order_id, line_no);
ALTER TABLE payments ADD CONSTRAINT pk_payments PRIMARY KEY (payment_key);
ALTER TABLE inventory ADD CONSTRAINT pk_inventory PRIMARY KEY (sku);
ALTER TABLE inventory_adjustments ADD CONSTRAINT pk_inventory_adjustments PRIMARY KEY (event_id);
ALTER TABLE product_reviews ADD CONSTRAINT pk_product_reviews PRIMARY KEY (review_id);
ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);
ALTER TABLE dead_letters ADD CONSTRAINT uq_dead_letters_id UNIQUE (id);
ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (user_id);
ALTER TABLE order_items ADD CONSTRAINT fk_order_items_order FOREIGN KEY (order_id) REFERENCES orders (order_id);
ALTER TABLE payments ADD CONSTRAINT fk_payments_order FOREIGN KEY (order_id) REFERENCES orders (order_id);
CREATE INDEX ix_orders_user ON orders (user_id, placed_at);
CREATE INDEX ix_payments_order ON payments (order_id, updated_at);
CREATE INDEX ix_inventory_adjustments_sku ON inventory_adjustments (sku);
CREATE INDEX ix_product_reviews_product ON product_reviews (product_name, created_at);
CREATE INDEX ix_dead_letters_pipeline ON dead_letters (pipeline, seq);
CREATE INDEX ix_ingestion_runs_pipeline ON ingestion_runs (pipeline, id);
