-- A vendor's Administrators read their own staff's events in the logs of
-- the customers they worked in: by vendor, newest first.
CREATE INDEX audit_events_vendor ON audit_events (acting_vendor_id, id DESC)
    WHERE acting_vendor_id IS NOT NULL;
