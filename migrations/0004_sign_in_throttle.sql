-- Brute-force protection. Keyed by the email as typed (lower-cased), not by
-- user, so an unknown email is throttled exactly like a real one and the
-- answers never reveal whether an account exists.
CREATE TABLE sign_in_lockouts (
    email        text        PRIMARY KEY CHECK (email = lower(email) AND length(email) <= 254),
    -- Failures since the last success or lock.
    failures     integer     NOT NULL DEFAULT 0 CHECK (failures >= 0),
    -- How many times this email was locked; each lock lasts twice as long.
    lockouts     integer     NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
    locked_until timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Failed attempts per client address, for the per-address limit.
CREATE TABLE sign_in_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client    text        NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_client ON sign_in_failures (client, failed_at);
CREATE INDEX sign_in_failures_age ON sign_in_failures (failed_at);
