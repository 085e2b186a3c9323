-- The vendor console (seed 003): a customer account's settings and service
-- plan, which its vendor manages with Full Access, and the API keys a
-- vendor's software uses for one linked account.

ALTER TABLE organizations
    ADD COLUMN transmit_approval_required boolean NOT NULL DEFAULT false,
    ADD COLUMN professional_claims        boolean NOT NULL DEFAULT true,
    ADD COLUMN institutional_claims       boolean NOT NULL DEFAULT false,
    ADD COLUMN dental_claims              boolean NOT NULL DEFAULT false,
    ADD COLUMN service_plan               text    NOT NULL DEFAULT 'standard'
        CHECK (service_plan IN ('starter', 'standard', 'enterprise')),
    -- The primary admin contact's phone, given when a vendor adds the account.
    ADD COLUMN contact_phone              text
        CHECK (contact_phone IS NULL OR length(contact_phone) <= 30);

-- A switched-in vendor user may open a ticket in the customer's account.
ALTER TABLE support_tickets DROP CONSTRAINT support_tickets_opened_by_org_id_fkey;
ALTER TABLE support_tickets ADD FOREIGN KEY (opened_by) REFERENCES users (id);

-- Shown once, stored as a SHA-256 hash; the prefix tells keys apart in lists.
CREATE TABLE api_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vendor_id    bigint      NOT NULL,
    customer_id  bigint      NOT NULL,
    name         text        NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    prefix       text        NOT NULL CHECK (prefix ~ '^pk_[A-Za-z0-9]{8}$'),
    key_hash     bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_by   bigint      NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    -- The per-key rate limit: requests counted in the current minute.
    window_started_at timestamptz NOT NULL DEFAULT now(),
    window_count      integer     NOT NULL DEFAULT 0,
    FOREIGN KEY (vendor_id, customer_id) REFERENCES vendor_links (vendor_id, customer_id) ON DELETE CASCADE
);
CREATE INDEX api_keys_account ON api_keys (vendor_id, customer_id, id DESC);
