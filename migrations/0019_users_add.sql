-- Delegated user administration (issue 23): the permission to add users
-- and set their access, never beyond one's own (Users: add).
CREATE OR REPLACE FUNCTION permission_keys() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[
        'patients.view', 'patients.edit', 'charges.view', 'charges.delayed', 'charges.edit',
        'claims.view', 'claims.edit', 'claims.refund', 'claims.post', 'claims.export',
        'claims.delete', 'payments.view', 'payments.post', 'payments.unassigned', 'payments.zero_pays',
        'ar.follow_up', 'ar.denials', 'insurances.view', 'physicians.view', 'reports.productivity',
        'reports.exception', 'reports.payment_balancing', 'reports.aging', 'reports.balance', 'constants.view',
        'constants.edit', 'users.view', 'users.manage', 'users.add', 'administration.full'
    ]::text[]
$$;

-- The roles made from the templates that add users (seed 001: Practice
-- Admin adds users; Partner Admin and Self Service Admin create them).
UPDATE roles SET permissions = permissions || ARRAY['users.add']
 WHERE template IN ('practice_admin', 'partner_admin', 'self_service_admin')
   AND NOT 'users.add' = ANY (permissions);
