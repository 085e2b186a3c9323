-- Two-factor sign-in (TOTP, RFC 6238) and single-use recovery codes.
CREATE TABLE user_totp (
    user_id      bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- The shared secret (160 bits); an authenticator app holds the other copy.
    secret       bytea       NOT NULL CHECK (length(secret) BETWEEN 16 AND 64),
    -- NULL while enrolling: the secret counts only once a code proved it.
    confirmed_at timestamptz,
    -- The last time step accepted: a code is accepted once, never again.
    last_step    bigint      CHECK (last_step >= 0),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recovery_codes (
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the code: the codes are random (50 bits), so a fast hash
    -- suffices, and a stolen table does not reveal them.
    code_hash  bytea       NOT NULL CHECK (length(code_hash) = 32),
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, code_hash)
);
