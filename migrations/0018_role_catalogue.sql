-- The whole role catalogue of seed 001 (issue 23): a permission for each
-- page and function the seed's role descriptions name, the templates of
-- both families, what a role withholds (the EMR Access Restriction), and
-- each organization's service type, which chooses the family it uses.

-- Reports were one permission; they are five. A role that opened reports
-- keeps every one of them.
ALTER TABLE roles DROP CONSTRAINT roles_permissions_check;
UPDATE roles
   SET permissions = array_remove(permissions, 'reports.view')
                     || ARRAY['reports.productivity', 'reports.exception', 'reports.payment_balancing',
                              'reports.aging', 'reports.balance']
 WHERE 'reports.view' = ANY (permissions);

CREATE FUNCTION permission_keys() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[
        'patients.view', 'patients.edit', 'charges.view', 'charges.delayed', 'charges.edit',
        'claims.view', 'claims.edit', 'claims.refund', 'claims.post', 'claims.export',
        'claims.delete', 'payments.view', 'payments.post', 'payments.unassigned', 'payments.zero_pays',
        'ar.follow_up', 'ar.denials', 'insurances.view', 'physicians.view', 'reports.productivity',
        'reports.exception', 'reports.payment_balancing', 'reports.aging', 'reports.balance', 'constants.view',
        'constants.edit', 'users.view', 'users.manage', 'administration.full'
    ]::text[]
$$;
ALTER TABLE roles ADD CONSTRAINT roles_permissions_check CHECK (permissions <@ permission_keys());

-- Never granted to the role's members, even if `permissions` holds it.
ALTER TABLE roles
    ADD COLUMN withheld text[] NOT NULL DEFAULT '{}'
        CONSTRAINT roles_withheld_check CHECK (withheld <@ permission_keys());

-- Templates: the two seed families and Standard. Two old keys are the
-- seed's names for the same roles now.
ALTER TABLE roles DROP CONSTRAINT roles_template_check;
UPDATE roles SET template = 'partner_payment_poster' WHERE template = 'payment_poster';
UPDATE roles SET template = 'self_service_ar_specialist' WHERE template = 'ar_specialist';
ALTER TABLE roles ADD CONSTRAINT roles_template_check CHECK (template IN (
        'standard', 'practice_admin', 'front_office',
        'provider', 'partner_admin', 'partner_csr_payment_poster',
        'partner_payment_poster', 'partner_csr', 'front_office_billing_emr',
        'self_service_admin', 'self_service_manager', 'self_service_front_office',
        'self_service_ar_specialist', 'self_service_payment_poster', 'self_service_ar_and_payments',
        'self_service_claims_mgmt'
));
-- A self-service template's role is a self-service role.
UPDATE roles SET self_service = true WHERE template LIKE 'self\_service\_%';

ALTER TABLE organizations
    ADD COLUMN service_type text NOT NULL DEFAULT 'revserve'
        CONSTRAINT organizations_service_type_check
        CHECK (service_type IN ('revserve', 'revequip', 'self_service'));
