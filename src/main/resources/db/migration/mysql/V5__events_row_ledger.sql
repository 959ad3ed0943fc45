-- The idempotency answer moves onto the rows (issue 11): a state-like row (user, order, payment,
-- review) carries the event_id it already had and now the content hash of that event, so a redelivery
-- of the event a row holds is recognised from the row itself, and one write per event suffices.
-- inventory_adjustments, keyed by eventId, was already the ledger of the inventory deltas; it gains the
-- hash too. processed_events keeps only what no row can answer: events superseded by a later event of
-- the same entity (so a replay of an older event is still a duplicate, not an overwrite), plus the
-- rows written before this migration.
ALTER TABLE users ADD COLUMN content_hash CHAR(64) NULL;
ALTER TABLE orders ADD COLUMN content_hash CHAR(64) NULL;
ALTER TABLE payments ADD COLUMN content_hash CHAR(64) NULL;
ALTER TABLE product_reviews ADD COLUMN content_hash CHAR(64) NULL;
ALTER TABLE inventory_adjustments ADD COLUMN content_hash CHAR(64) NULL;

UPDATE users SET content_hash = (SELECT p.content_hash FROM processed_events p WHERE p.event_id = users.event_id);
UPDATE orders SET content_hash = (SELECT p.content_hash FROM processed_events p WHERE p.event_id = orders.event_id);
UPDATE payments SET content_hash = (SELECT p.content_hash FROM processed_events p WHERE p.event_id = payments.event_id);
UPDATE product_reviews SET content_hash = (SELECT p.content_hash FROM processed_events p WHERE p.event_id = product_reviews.event_id);
UPDATE inventory_adjustments SET content_hash = (SELECT p.content_hash FROM processed_events p WHERE p.event_id = inventory_adjustments.event_id);
