-- How many users each organization has, kept by the database as users come
-- and go (issue 24). The Users page shows it when nothing narrows the list;
-- counting instead read up to 50,001 index entries on every page, most of
-- the CPU a Users page cost (docs/PERFORMANCE.md). Kept per statement, from
-- its transition tables, so a COPY of a million users updates each
-- organization's row once; concurrent additions to one organization wait
-- for each other's commit at this one row, which is rare and brief.
CREATE TABLE user_counts (
    org_id bigint PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    users bigint NOT NULL CHECK (users >= 0)
);

INSERT INTO user_counts (org_id, users)
SELECT o.id, count(u.id) FROM organizations o LEFT JOIN users u ON u.org_id = o.id GROUP BY o.id;

-- Every organization has its row from the start.
CREATE FUNCTION user_counts_for_new_organizations() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO user_counts (org_id, users) SELECT id, 0 FROM added;
    RETURN NULL;
END $$;

CREATE TRIGGER organizations_user_counts
    AFTER INSERT ON organizations REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION user_counts_for_new_organizations();

-- Each organization's change, once per statement. A row already gone went
-- with its organization.
CREATE FUNCTION user_counts_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE user_counts c SET users = c.users + d.n
    FROM (SELECT org_id, count(*) AS n FROM added GROUP BY org_id) d
    WHERE c.org_id = d.org_id;
    RETURN NULL;
END $$;

CREATE FUNCTION user_counts_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE user_counts c SET users = c.users - d.n
    FROM (SELECT org_id, count(*) AS n FROM removed GROUP BY org_id) d
    WHERE c.org_id = d.org_id;
    RETURN NULL;
END $$;

-- A user's organization never changes (so no count moves between two).
CREATE FUNCTION users_stay_in_their_organization() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a user''s organization cannot change' USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER users_counted_in
    AFTER INSERT ON users REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION user_counts_added();
CREATE TRIGGER users_counted_out
    AFTER DELETE ON users REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION user_counts_removed();
CREATE TRIGGER users_stay_in_their_organization
    BEFORE UPDATE OF org_id ON users
    FOR EACH ROW WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id)
    EXECUTE FUNCTION users_stay_in_their_organization();
