-- Keys and ids compare byte for byte, as on PostgreSQL. H2 compares VARCHAR exactly already, unless the
-- database was created with IGNORECASE=TRUE: then every VARCHAR column is VARCHAR_IGNORECASE and
-- 'Carol' and 'carol' are one key. Re-declaring the key columns as VARCHAR with the setting off turns
-- such columns back into exact ones, and changes nothing on a database that had them already.
-- (logs.id is a UUID column, exact by type.) SET IGNORECASE applies to this session only.
SET IGNORECASE FALSE;
ALTER TABLE processed_events ALTER COLUMN event_id SET DATA TYPE VARCHAR(255);
ALTER TABLE users ALTER COLUMN user_id SET DATA TYPE VARCHAR(64);
ALTER TABLE users ALTER COLUMN email SET DATA TYPE VARCHAR(320);
ALTER TABLE users ALTER COLUMN event_id SET DATA TYPE VARCHAR(255);
ALTER TABLE orders ALTER COLUMN order_id SET DATA TYPE VARCHAR(64);
ALTER TABLE orders ALTER COLUMN user_id SET DATA TYPE VARCHAR(64);
ALTER TABLE orders ALTER COLUMN event_id SET DATA TYPE VARCHAR(255);
ALTER TABLE order_items ALTER COLUMN order_id SET DATA TYPE VARCHAR(64);
ALTER TABLE order_items ALTER COLUMN sku SET DATA TYPE VARCHAR(64);
ALTER TABLE payments ALTER COLUMN payment_key SET DATA TYPE VARCHAR(80);
ALTER TABLE payments ALTER COLUMN payment_id SET DATA TYPE VARCHAR(64);
ALTER TABLE payments ALTER COLUMN order_id SET DATA TYPE VARCHAR(64);
ALTER TABLE payments ALTER COLUMN event_id SET DATA TYPE VARCHAR(255);
ALTER TABLE inventory ALTER COLUMN sku SET DATA TYPE VARCHAR(64);
ALTER TABLE inventory_adjustments ALTER COLUMN event_id SET DATA TYPE VARCHAR(255);
ALTER TABLE inventory_adjustments ALTER COLUMN sku SET DATA TYPE VARCHAR(64);
ALTER TABLE product_reviews ALTER COLUMN review_id SET DATA TYPE VARCHAR(64);
ALTER TABLE product_reviews ALTER COLUMN product_name SET DATA TYPE VARCHAR(255);
ALTER TABLE product_reviews ALTER COLUMN event_id SET DATA TYPE VARCHAR(255);
ALTER TABLE dead_letters ALTER COLUMN id SET DATA TYPE VARCHAR(36);
ALTER TABLE dead_letters ALTER COLUMN pipeline SET DATA TYPE VARCHAR(64);
ALTER TABLE dead_letters ALTER COLUMN event_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ingestion_runs ALTER COLUMN pipeline SET DATA TYPE VARCHAR(64);
