-- Support tickets of a customer organization: opened by its Administrators
-- and Support Users, possibly about some of its claims, possibly asking a
-- linked vendor for help (which is what Limited Access lets a vendor see).

-- Lets tables below tie a claim to the organization it belongs to.
ALTER TABLE claims ADD CONSTRAINT claims_id_org_key UNIQUE (id, org_id);

CREATE TABLE support_tickets (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     bigint      NOT NULL REFERENCES organizations (id),
    subject    text        NOT NULL CHECK (btrim(subject) <> '' AND length(subject) <= 200),
    message    text        NOT NULL CHECK (btrim(message) <> '' AND length(message) <= 5000),
    status     text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'waiting', 'closed')),
    opened_by  bigint      NOT NULL,
    version    integer     NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT support_tickets_id_org_key UNIQUE (id, org_id),
    FOREIGN KEY (opened_by, org_id) REFERENCES users (id, org_id)
);
CREATE INDEX support_tickets_org ON support_tickets (org_id, id DESC);

CREATE TABLE support_ticket_claims (
    ticket_id bigint NOT NULL,
    claim_id  bigint NOT NULL,
    org_id    bigint NOT NULL,
    PRIMARY KEY (ticket_id, claim_id),
    FOREIGN KEY (ticket_id, org_id) REFERENCES support_tickets (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (claim_id, org_id) REFERENCES claims (id, org_id) ON DELETE CASCADE
);
CREATE INDEX support_ticket_claims_claim ON support_ticket_claims (claim_id);

-- "Request vendor help": the vendor must be linked to the ticket's
-- organization; unlinking removes the request.
CREATE TABLE support_ticket_vendor_help (
    ticket_id    bigint      NOT NULL,
    org_id       bigint      NOT NULL,
    vendor_id    bigint      NOT NULL,
    requested_by bigint      NOT NULL REFERENCES users (id),
    requested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ticket_id, vendor_id),
    FOREIGN KEY (ticket_id, org_id) REFERENCES support_tickets (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (vendor_id, org_id) REFERENCES vendor_links (vendor_id, customer_id) ON DELETE CASCADE
);
CREATE INDEX support_ticket_vendor_help_vendor ON support_ticket_vendor_help (vendor_id, org_id);

CREATE TABLE support_ticket_comments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id    bigint      NOT NULL,
    org_id       bigint      NOT NULL,
    author_id    bigint      NOT NULL REFERENCES users (id),
    -- As the author was named then, with their vendor's name for vendor staff.
    author_label text        NOT NULL CHECK (btrim(author_label) <> ''),
    vendor_id    bigint      REFERENCES organizations (id),
    body         text        NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 5000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (ticket_id, org_id) REFERENCES support_tickets (id, org_id) ON DELETE CASCADE
);
CREATE INDEX support_ticket_comments_ticket ON support_ticket_comments (ticket_id, id);

-- A temporary Vendor Access grant: when to warn that it is about to end
-- (cleared once the warning is queued).
ALTER TABLE vendor_links ADD COLUMN expiry_notice_at timestamptz;
ALTER TABLE vendor_links ADD CONSTRAINT vendor_links_notice_needs_expiry
    CHECK (expiry_notice_at IS NULL OR expires_at IS NOT NULL);
CREATE INDEX vendor_links_notice_due ON vendor_links (expiry_notice_at)
    WHERE expiry_notice_at IS NOT NULL;
