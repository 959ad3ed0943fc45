-- Keys and ids compare byte for byte on every dialect. PostgreSQL does already: its collations are
-- deterministic unless declared otherwise, and V1..V3 declare none, so 'Carol' and 'carol' are two
-- keys. Nothing to change; the version exists so every dialect's schema history reads the same.
SELECT 1;
