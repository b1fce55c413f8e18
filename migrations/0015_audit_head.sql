-- The head of the audit chain in one row. Every append updates it first, in the transaction of
-- the action it records: the row lock (the write lock on SQLite) makes appends queue instead of
-- racing for the next sequence number, so an action and its audit entry commit together or not
-- at all, and the chain never forks.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
SELECT 1,
       COALESCE((SELECT MAX(seq) FROM audit_log), 0),
       COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1),
                '0000000000000000000000000000000000000000000000000000000000000000');
