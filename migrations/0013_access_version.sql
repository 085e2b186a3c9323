-- A counter per organization that moves whenever anything the policy's
-- snapshot holds changes (the organization, its companies, roles, their
-- companies, vendor links), in the same transaction. Servers cache the
-- snapshot per organization and version: a request reads the version, and
-- reloads the snapshot only when it moved. Several servers stay correct,
-- as none trusts its cache past the version the database reports.
ALTER TABLE organizations ADD COLUMN access_version bigint NOT NULL DEFAULT 1;

CREATE FUNCTION bump_access_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    UPDATE organizations SET access_version = access_version + 1 WHERE id = changed.org_id;
    IF TG_OP = 'UPDATE' AND OLD.org_id IS DISTINCT FROM NEW.org_id THEN
        UPDATE organizations SET access_version = access_version + 1 WHERE id = OLD.org_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER companies_bump_access_version
    AFTER INSERT OR UPDATE OR DELETE ON companies
    FOR EACH ROW EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER roles_bump_access_version
    AFTER INSERT OR UPDATE OR DELETE ON roles
    FOR EACH ROW EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER role_companies_bump_access_version
    AFTER INSERT OR UPDATE OR DELETE ON role_companies
    FOR EACH ROW EXECUTE FUNCTION bump_access_version();

-- A link belongs to both of its organizations.
CREATE FUNCTION bump_linked_access_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations SET access_version = access_version + 1
    WHERE id IN (NEW.vendor_id, NEW.customer_id, OLD.vendor_id, OLD.customer_id);
    RETURN NULL;
END $$;

CREATE TRIGGER vendor_links_bump_access_version
    AFTER INSERT OR UPDATE OR DELETE ON vendor_links
    FOR EACH ROW EXECUTE FUNCTION bump_linked_access_versions();

-- The organization's own name and kind are in the snapshot too.
CREATE FUNCTION organizations_bump_access_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name OR NEW.kind IS DISTINCT FROM OLD.kind THEN
        NEW.access_version := OLD.access_version + 1;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER organizations_bump_access_version
    BEFORE UPDATE ON organizations
    FOR EACH ROW EXECUTE FUNCTION organizations_bump_access_version();
