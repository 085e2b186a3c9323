-- Vendor staff switched into a linked customer's account ("Switch to
-- account", seed 003): one row per switch, open until the vendor returns
-- or the customer's grant falls below Full Access. The session names its
-- switch; whether it still counts is decided at every request (an open
-- row and the grant in force), so checking access never writes, and the
-- change that ends a switch -- returning, lowering the grant, a timed grant
-- reverting -- ends its row and records it, in one transaction.
CREATE TABLE vendor_switches (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vendor_id     bigint      NOT NULL REFERENCES organizations (id),
    customer_id   bigint      NOT NULL REFERENCES organizations (id),
    user_id       bigint      NOT NULL REFERENCES users (id),
    started_at    timestamptz NOT NULL DEFAULT now(),
    ended_at      timestamptz,
    -- 'returned': the vendor went back; 'lapsed': the grant no longer allows it.
    ended_because text        CHECK (ended_because IN ('returned', 'lapsed')),
    CONSTRAINT vendor_switches_end_has_reason CHECK ((ended_at IS NULL) = (ended_because IS NULL)),
    CONSTRAINT vendor_switches_ends_after_start CHECK (ended_at >= started_at)
);
-- The open switches of a vendor into a customer: what lowering a grant ends.
CREATE INDEX vendor_switches_open ON vendor_switches (vendor_id, customer_id) WHERE ended_at IS NULL;
