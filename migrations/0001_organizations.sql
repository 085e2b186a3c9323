-- Organizations are the tenants: a customer organization (the parent company
-- of its child companies) or a vendor linked to customer accounts.
CREATE TABLE organizations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('customer', 'vendor')),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_name_valid CHECK (btrim(name) <> '' AND length(name) <= 200)
);

-- Unique regardless of case, so two tenants can never be mistaken for each other.
CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name));
