-- Fifty Administrators demoting one another at once deadlocked: the
-- last-administrator trigger locked the organization's row FOR UPDATE,
-- which also blocks the key-share locks every foreign key check takes on
-- it (each audit event names its organization), and the editors locked
-- the user's row FOR UPDATE, which blocks the key-share lock an audit
-- event takes on its actor. FOR NO KEY UPDATE still makes changes of an
-- organization's Administrators take turns, but lets references through.
CREATE OR REPLACE FUNCTION users_keep_an_administrator() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.account_type = 'administrator' AND OLD.status = 'active'
       AND (TG_OP = 'DELETE' OR NEW.account_type <> 'administrator' OR NEW.status <> 'active') THEN
        PERFORM 1 FROM organizations WHERE id = OLD.org_id FOR NO KEY UPDATE;
        IF NOT EXISTS (SELECT 1 FROM users
                       WHERE org_id = OLD.org_id AND id <> OLD.id
                         AND account_type = 'administrator' AND status = 'active') THEN
            RAISE EXCEPTION 'an organization must keep at least one active Administrator'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'users_keep_an_administrator';
        END IF;
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;
