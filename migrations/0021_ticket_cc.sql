-- Ticket views and CC (issue 23, seed 002): a ticket can CC other users of
-- its organization, who then see it (and comment on it) in their CC'd
-- Tickets even without handling tickets, and are told by email.
CREATE TABLE support_ticket_cc (
    ticket_id bigint NOT NULL,
    org_id bigint NOT NULL,
    user_id bigint NOT NULL,
    added_by bigint NOT NULL REFERENCES users (id),
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ticket_id, user_id),
    -- The user CC'd is of the ticket's own organization.
    FOREIGN KEY (ticket_id, org_id) REFERENCES support_tickets (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
);

-- CC'd Tickets: a user's tickets, newest first.
CREATE INDEX support_ticket_cc_user ON support_ticket_cc (user_id, ticket_id DESC);
-- My Tickets.
CREATE INDEX support_tickets_opened_by ON support_tickets (opened_by, id DESC);
