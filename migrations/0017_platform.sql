-- The platform side (issue 22): the organization that runs Portcullis for
-- every customer and vendor, its support desk, the consents that link a
-- customer to a vendor, and the changes its staff make only in pairs.

-- The platform is an organization like the others, of its own kind; its
-- staff are its users (Administrator: Platform Administrator; Standard:
-- Support Agent). There is at most one.
ALTER TABLE organizations DROP CONSTRAINT organizations_kind_check;
ALTER TABLE organizations ADD CONSTRAINT organizations_kind_check
    CHECK (kind IN ('customer', 'vendor', 'platform'));
CREATE UNIQUE INDEX organizations_one_platform ON organizations ((true)) WHERE kind = 'platform';

-- A suspended organization keeps everything, but none of its users signs in.
ALTER TABLE organizations ADD COLUMN suspended_at timestamptz;
-- The console's list: name order, keyset paged.
CREATE INDEX organizations_name_order ON organizations (lower(name), id);

-- Suspension is in the policy's snapshot too.
CREATE OR REPLACE FUNCTION organizations_bump_access_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name OR NEW.kind IS DISTINCT FROM OLD.kind
       OR NEW.suspended_at IS DISTINCT FROM OLD.suspended_at THEN
        NEW.access_version := OLD.access_version + 1;
    END IF;
    RETURN NEW;
END $$;

-- The support desk: every organization's tickets to the platform, each
-- possibly assigned to one of its agents.
ALTER TABLE support_tickets ADD COLUMN assignee_id bigint REFERENCES users (id);
CREATE INDEX support_tickets_assignee ON support_tickets (assignee_id, id DESC)
    WHERE assignee_id IS NOT NULL;
CREATE INDEX support_tickets_status ON support_tickets (status, id DESC);

-- Linking a customer to a vendor takes both sides' consent, then the
-- platform completes it (seed 003: "linking an existing account by ticket,
-- with verification"). The customer's consent names the highest Vendor
-- Access it agrees to; the platform starts the link at or below it.
CREATE TABLE vendor_link_requests (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id         bigint      NOT NULL,
    customer_kind       text        NOT NULL DEFAULT 'customer' CHECK (customer_kind = 'customer'),
    vendor_id           bigint      NOT NULL,
    vendor_kind         text        NOT NULL DEFAULT 'vendor' CHECK (vendor_kind = 'vendor'),
    requested_by        bigint      NOT NULL REFERENCES users (id),
    customer_consent_by bigint      REFERENCES users (id),
    customer_consent_at timestamptz,
    max_tier            text        CHECK (max_tier IN ('no_access', 'limited', 'all_support', 'full')),
    vendor_consent_by   bigint      REFERENCES users (id),
    vendor_consent_at   timestamptz,
    status              text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'completed', 'declined', 'withdrawn')),
    closed_by           bigint      REFERENCES users (id),
    closed_at           timestamptz,
    version             integer     NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (customer_id, customer_kind) REFERENCES organizations (id, kind),
    FOREIGN KEY (vendor_id, vendor_kind) REFERENCES organizations (id, kind),
    CONSTRAINT vendor_link_requests_consent_names_tier
        CHECK ((customer_consent_at IS NULL) = (max_tier IS NULL)
               AND (customer_consent_at IS NULL) = (customer_consent_by IS NULL)
               AND (vendor_consent_at IS NULL) = (vendor_consent_by IS NULL)),
    CONSTRAINT vendor_link_requests_one_side_asked
        CHECK (customer_consent_at IS NOT NULL OR vendor_consent_at IS NOT NULL),
    CONSTRAINT vendor_link_requests_completed_with_both
        CHECK (status <> 'completed' OR (customer_consent_at IS NOT NULL AND vendor_consent_at IS NOT NULL)),
    CONSTRAINT vendor_link_requests_closed
        CHECK ((status = 'pending') = (closed_at IS NULL))
);
CREATE UNIQUE INDEX vendor_link_requests_one_pending ON vendor_link_requests (customer_id, vendor_id)
    WHERE status = 'pending';
CREATE INDEX vendor_link_requests_vendor ON vendor_link_requests (vendor_id, id DESC);
CREATE INDEX vendor_link_requests_pending ON vendor_link_requests (id DESC) WHERE status = 'pending';

-- Administrator changes by ticket (seed 002), made by one platform staff
-- member and applied only on a second one's approval.
CREATE TABLE platform_changes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id      bigint      NOT NULL,
    org_id         bigint      NOT NULL,
    kind           text        NOT NULL
        CHECK (kind IN ('make_administrator', 'make_support_user', 'reactivate_administrator')),
    target_user_id bigint      NOT NULL,
    -- What was verified, and how (the ticket's opener, or a call back).
    reason         text        NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 500),
    proposed_by    bigint      NOT NULL REFERENCES users (id),
    proposed_at    timestamptz NOT NULL DEFAULT now(),
    decided_by     bigint      REFERENCES users (id),
    decided_at     timestamptz,
    status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
    FOREIGN KEY (ticket_id, org_id) REFERENCES support_tickets (id, org_id),
    FOREIGN KEY (target_user_id, org_id) REFERENCES users (id, org_id),
    CONSTRAINT platform_changes_two_people CHECK (decided_by IS NULL OR decided_by <> proposed_by),
    CONSTRAINT platform_changes_decided
        CHECK ((status = 'pending') = (decided_by IS NULL) AND (decided_by IS NULL) = (decided_at IS NULL))
);
CREATE UNIQUE INDEX platform_changes_one_pending ON platform_changes (target_user_id, kind)
    WHERE status = 'pending';
CREATE INDEX platform_changes_ticket ON platform_changes (ticket_id, id);
CREATE INDEX platform_changes_pending ON platform_changes (id) WHERE status = 'pending';
