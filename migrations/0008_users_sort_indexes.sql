-- Keyset paging of the Users page in its other orders (see
-- app/src/users/api.rs `order`): by email, and newest first. Name order,
-- both ways, is served by users_org_name from 0002 (scanned backwards for
-- Z to A).
CREATE INDEX users_org_email ON users (org_id, lower(email), id);
CREATE INDEX users_org_created ON users (org_id, created_at, id);
