-- Password reset and invitation links, and the email outbox.

-- A link's token is 256 random bits; only its SHA-256 is stored, so a copy
-- of this table opens no account. Single use: used_at is set by the same
-- statement that accepts it.
CREATE TABLE password_tokens (
    token_hash bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('reset', 'invitation')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX password_tokens_user ON password_tokens (user_id, created_at);

-- Mail waits here, written in the transaction of the change that caused it;
-- a worker delivers it over SMTP (or the development mailbox shows it).
CREATE TABLE email_outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          bigint      REFERENCES organizations (id),
    recipient       text        NOT NULL CHECK (recipient LIKE '_%@_%' AND length(recipient) <= 254),
    subject         text        NOT NULL CHECK (btrim(subject) <> '' AND length(subject) <= 200),
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    last_error      text
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE sent_at IS NULL;
