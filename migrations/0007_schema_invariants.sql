-- Invariants the policy relies on, kept by the database itself.

-- Payers and facilities, their copies' sources, and claims' payers never
-- cross organizations.
ALTER TABLE payers ADD CONSTRAINT payers_id_org_key UNIQUE (id, org_id);
ALTER TABLE facilities ADD CONSTRAINT facilities_id_org_key UNIQUE (id, org_id);

ALTER TABLE payers DROP CONSTRAINT payers_source_id_fkey;
ALTER TABLE payers ADD CONSTRAINT payers_source_fkey FOREIGN KEY (source_id, org_id)
    REFERENCES payers (id, org_id) ON DELETE SET NULL (source_id);
ALTER TABLE facilities DROP CONSTRAINT facilities_source_id_fkey;
ALTER TABLE facilities ADD CONSTRAINT facilities_source_fkey FOREIGN KEY (source_id, org_id)
    REFERENCES facilities (id, org_id) ON DELETE SET NULL (source_id);
ALTER TABLE claims DROP CONSTRAINT claims_payer_id_fkey;
ALTER TABLE claims ADD CONSTRAINT claims_payer_fkey FOREIGN KEY (payer_id, org_id)
    REFERENCES payers (id, org_id);

-- An expiring grant falls back to a lower tier, never to the same or a
-- higher one (that would not expire anything).
CREATE FUNCTION vendor_tier_rank(tier text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE tier WHEN 'no_access' THEN 0 WHEN 'limited' THEN 1
                     WHEN 'all_support' THEN 2 WHEN 'full' THEN 3 END;
ALTER TABLE vendor_links ADD CONSTRAINT vendor_links_reverts_lower
    CHECK (reverts_to IS NULL OR vendor_tier_rank(reverts_to) < vendor_tier_rank(tier));

-- Self-service roles require the Partner user type (SPEC, "User type"):
-- the policy gives a Customer-type user nothing from such a role, so the
-- combination is refused rather than silently useless.
CREATE FUNCTION users_self_service_needs_partner() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.user_type = 'customer' AND NEW.role_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM roles WHERE id = NEW.role_id AND self_service) THEN
        RAISE EXCEPTION 'a self-service role requires the Partner user type'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'users_self_service_needs_partner';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER users_self_service_needs_partner
    BEFORE INSERT OR UPDATE OF role_id, user_type ON users
    FOR EACH ROW EXECUTE FUNCTION users_self_service_needs_partner();

CREATE FUNCTION roles_self_service_needs_partners() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.self_service AND NOT OLD.self_service
       AND EXISTS (SELECT 1 FROM users WHERE role_id = NEW.id AND user_type = 'customer') THEN
        RAISE EXCEPTION 'a self-service role requires the Partner user type'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'users_self_service_needs_partner';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER roles_self_service_needs_partners
    BEFORE UPDATE OF self_service ON roles
    FOR EACH ROW EXECUTE FUNCTION roles_self_service_needs_partners();

-- An organization always keeps an active Administrator: demoting,
-- deactivating or deleting the last one is refused. The organization's row
-- is locked first, so two Administrators demoting each other at the same
-- moment cannot both succeed.
CREATE FUNCTION users_keep_an_administrator() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.account_type = 'administrator' AND OLD.status = 'active'
       AND (TG_OP = 'DELETE' OR NEW.account_type <> 'administrator' OR NEW.status <> 'active') THEN
        PERFORM 1 FROM organizations WHERE id = OLD.org_id FOR UPDATE;
        IF NOT EXISTS (SELECT 1 FROM users
                       WHERE org_id = OLD.org_id AND id <> OLD.id
                         AND account_type = 'administrator' AND status = 'active') THEN
            RAISE EXCEPTION 'an organization must keep at least one active Administrator'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'users_keep_an_administrator';
        END IF;
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER users_keep_an_administrator
    BEFORE UPDATE OF account_type, status OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_keep_an_administrator();
