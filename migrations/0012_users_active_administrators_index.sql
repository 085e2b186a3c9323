-- Found by `portcullis bench` at a million users: the Users page counts an
-- organization's active Administrators on every load (the fewer-than-two
-- warning), which was a scan of every user.
CREATE INDEX users_active_administrators ON users (org_id)
    WHERE account_type = 'administrator' AND status = 'active';
