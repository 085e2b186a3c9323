-- What a message is for, and whom it concerns. Administrators are shown
-- their organization's undelivered mail; for an invitation of a user who
-- never chose a password they may also take the link to pass on by hand,
-- never for a password reset (that would hand them the account).
ALTER TABLE email_outbox
    ADD COLUMN kind text NOT NULL DEFAULT 'notice'
        CHECK (kind IN ('invitation', 'password_reset', 'notice')),
    ADD COLUMN user_id bigint REFERENCES users (id);

-- Mail queued before this migration: invitations and resets by their
-- subjects, and the user by address within the organization.
UPDATE email_outbox SET kind = 'invitation' WHERE subject LIKE 'You are invited to %';
UPDATE email_outbox SET kind = 'password_reset'
    WHERE subject IN ('Reset your Portcullis password', 'Choose a new Portcullis password');
UPDATE email_outbox o SET user_id = u.id
    FROM users u
    WHERE o.kind <> 'notice' AND u.org_id = o.org_id AND lower(u.email) = lower(o.recipient);

-- A message is about a user exactly when it is an invitation or a reset.
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_user_of_kind
    CHECK ((kind = 'notice') = (user_id IS NULL)) NOT VALID;

-- The undelivered mail of an organization, for its Administrators.
CREATE INDEX email_outbox_undelivered ON email_outbox (org_id, id)
    WHERE sent_at IS NULL AND last_error IS NOT NULL;
