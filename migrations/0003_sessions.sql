-- Sessions live in PostgreSQL so any number of server processes can serve
-- one database. The table is the one tower-sessions' Postgres store reads.
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE tower_sessions.session (
    id          text PRIMARY KEY NOT NULL,
    data        bytea NOT NULL,
    expiry_date timestamptz NOT NULL
);
CREATE INDEX session_expiry ON tower_sessions.session (expiry_date);

-- Sessions signed in before this instant are dead: set on deactivation and
-- on password change, it ends every session of the user at once (NULL: no
-- cut-off yet).
ALTER TABLE users ADD COLUMN sessions_not_before timestamptz;
