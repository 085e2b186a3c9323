-- The access model: companies, roles, users and their assignments, vendor
-- links, the data the model protects (payers, facilities, claims), and the
-- append-only audit log. Invariants live in constraints, not in code.

-- Trigram indexes serve substring search of users at a million rows.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE organizations ADD COLUMN version integer NOT NULL DEFAULT 1;
-- Lets a foreign key demand an organization of a given kind.
ALTER TABLE organizations ADD CONSTRAINT organizations_id_kind_key UNIQUE (id, kind);

-- Companies of customer organizations: one parent per organization, the
-- rest its children.
CREATE TABLE companies (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     bigint      NOT NULL,
    org_kind   text        NOT NULL DEFAULT 'customer' CHECK (org_kind = 'customer'),
    parent_id  bigint,
    name       text        NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    active     boolean     NOT NULL DEFAULT true,
    version    integer     NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Pairs (id, org_id) let other tables require "a company of this organization".
    CONSTRAINT companies_id_org_key UNIQUE (id, org_id),
    CONSTRAINT companies_org_fkey FOREIGN KEY (org_id, org_kind) REFERENCES organizations (id, kind),
    CONSTRAINT companies_parent_fkey FOREIGN KEY (parent_id, org_id) REFERENCES companies (id, org_id),
    CONSTRAINT companies_not_own_parent CHECK (parent_id IS DISTINCT FROM id)
);
CREATE UNIQUE INDEX companies_one_parent_per_org ON companies (org_id) WHERE parent_id IS NULL;
CREATE UNIQUE INDEX companies_name_key ON companies (org_id, lower(name));

-- Children hang directly under the parent company: two levels, no deeper.
CREATE FUNCTION companies_parent_is_the_parent_company() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM companies WHERE id = NEW.parent_id AND parent_id IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'company % must be a child of its organization''s parent company', NEW.name
            USING ERRCODE = 'check_violation', CONSTRAINT = 'companies_parent_is_parent_company';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER companies_parent_is_the_parent_company
    BEFORE INSERT OR UPDATE OF parent_id ON companies
    FOR EACH ROW EXECUTE FUNCTION companies_parent_is_the_parent_company();

-- Roles ("user groups"): a permission set and the companies members inherit.
CREATE TABLE roles (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       bigint      NOT NULL REFERENCES organizations (id),
    name         text        NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    description  text        NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    -- Stable permission keys (Permission::key in the model).
    permissions  text[]      NOT NULL DEFAULT '{}' CHECK (permissions <@ ARRAY[
        'claims.view', 'claims.edit', 'claims.refund', 'claims.post', 'claims.export', 'claims.delete',
        'payments.view', 'payments.post', 'reports.view', 'users.view', 'users.manage',
        'administration.full']::text[]),
    self_service boolean     NOT NULL DEFAULT false,
    template     text        CHECK (template IN ('standard', 'practice_admin', 'front_office', 'provider',
                                                 'payment_poster', 'ar_specialist', 'self_service_manager')),
    version      integer     NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT roles_id_org_key UNIQUE (id, org_id)
);
CREATE UNIQUE INDEX roles_name_key ON roles (org_id, lower(name));

CREATE TABLE role_companies (
    role_id    bigint NOT NULL,
    company_id bigint NOT NULL,
    org_id     bigint NOT NULL,
    PRIMARY KEY (role_id, company_id),
    FOREIGN KEY (role_id, org_id) REFERENCES roles (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, org_id) REFERENCES companies (id, org_id)
);
CREATE INDEX role_companies_company ON role_companies (company_id);

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id              bigint      NOT NULL REFERENCES organizations (id),
    first_name          text        NOT NULL CHECK (length(first_name) BETWEEN 2 AND 100),
    last_name           text        NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    email               text        NOT NULL CHECK (length(email) <= 254 AND email LIKE '_%@_%._%'),
    status              text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    account_type        text        NOT NULL DEFAULT 'standard' CHECK (account_type IN ('standard', 'administrator')),
    user_type           text        NOT NULL DEFAULT 'partner' CHECK (user_type IN ('customer', 'partner')),
    default_company_id  bigint,
    role_id             bigint,
    support_user        boolean     NOT NULL DEFAULT false,
    -- argon2id PHC string; NULL until the user sets a password from the invitation.
    password_hash       text,
    password_changed_at timestamptz,
    version             integer     NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_id_org_key UNIQUE (id, org_id),
    CONSTRAINT users_role_fkey FOREIGN KEY (role_id, org_id) REFERENCES roles (id, org_id),
    CONSTRAINT users_default_company_fkey FOREIGN KEY (default_company_id, org_id) REFERENCES companies (id, org_id),
    -- A Customer-type user acts in exactly one company, their home company.
    CONSTRAINT users_customer_has_home_company
        CHECK (user_type <> 'customer' OR account_type = 'administrator' OR default_company_id IS NOT NULL)
);
-- The email is the login: unique whatever its case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
-- Keyset paging of the Users page in name order within an organization.
CREATE INDEX users_org_name ON users (org_id, lower(last_name), lower(first_name), id);
-- Case-insensitive substring search of name or email.
CREATE INDEX users_search_trgm ON users
    USING gin (lower(first_name || ' ' || last_name || ' ' || email) gin_trgm_ops);
CREATE INDEX users_role ON users (role_id) WHERE role_id IS NOT NULL;

-- Companies picked for a user directly, on top of their role's.
CREATE TABLE user_companies (
    user_id    bigint NOT NULL,
    company_id bigint NOT NULL,
    org_id     bigint NOT NULL,
    PRIMARY KEY (user_id, company_id),
    FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, org_id) REFERENCES companies (id, org_id)
);
CREATE INDEX user_companies_company ON user_companies (company_id);

-- A vendor linked to a customer organization, with the customer's grant.
CREATE TABLE vendor_links (
    vendor_id     bigint      NOT NULL,
    vendor_kind   text        NOT NULL DEFAULT 'vendor' CHECK (vendor_kind = 'vendor'),
    customer_id   bigint      NOT NULL,
    customer_kind text        NOT NULL DEFAULT 'customer' CHECK (customer_kind = 'customer'),
    vendor_owned  boolean     NOT NULL DEFAULT false,
    tier          text        NOT NULL CHECK (tier IN ('no_access', 'limited', 'all_support', 'full')),
    -- An expiring grant counts as reverts_to from expires_at on.
    expires_at    timestamptz,
    reverts_to    text        CHECK (reverts_to IN ('no_access', 'limited', 'all_support', 'full')),
    version       integer     NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (vendor_id, customer_id),
    FOREIGN KEY (vendor_id, vendor_kind) REFERENCES organizations (id, kind),
    FOREIGN KEY (customer_id, customer_kind) REFERENCES organizations (id, kind),
    CONSTRAINT vendor_links_expiry_has_fallback CHECK ((expires_at IS NULL) = (reverts_to IS NULL))
);
CREATE INDEX vendor_links_customer ON vendor_links (customer_id);
CREATE INDEX vendor_links_expiring ON vendor_links (expires_at) WHERE expires_at IS NOT NULL;

-- Payers and facilities: made at the parent company and copied down to
-- children; a copy remembers its source.
CREATE TABLE payers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     bigint      NOT NULL,
    company_id bigint      NOT NULL,
    name       text        NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    payer_code text        NOT NULL CHECK (payer_code ~ '^[A-Z0-9]{2,10}$'),
    source_id  bigint      REFERENCES payers (id) ON DELETE SET NULL,
    version    integer     NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (company_id, org_id) REFERENCES companies (id, org_id)
);
CREATE UNIQUE INDEX payers_name_key ON payers (company_id, lower(name));

CREATE TABLE facilities (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     bigint      NOT NULL,
    company_id bigint      NOT NULL,
    name       text        NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    city       text        NOT NULL DEFAULT '' CHECK (length(city) <= 100),
    source_id  bigint      REFERENCES facilities (id) ON DELETE SET NULL,
    version    integer     NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (company_id, org_id) REFERENCES companies (id, org_id)
);
CREATE UNIQUE INDEX facilities_name_key ON facilities (company_id, lower(name));

CREATE TABLE claims (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        bigint      NOT NULL,
    company_id    bigint      NOT NULL,
    claim_number  text        NOT NULL CHECK (claim_number ~ '^[A-Z0-9-]{3,20}$'),
    patient_name  text        NOT NULL CHECK (btrim(patient_name) <> '' AND length(patient_name) <= 200),
    payer_id      bigint      REFERENCES payers (id),
    service_date  date        NOT NULL,
    amount_cents  bigint      NOT NULL CHECK (amount_cents >= 0),
    status        text        NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'submitted', 'paid', 'denied', 'refunded')),
    version       integer     NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (company_id, org_id) REFERENCES companies (id, org_id)
);
CREATE UNIQUE INDEX claims_number_key ON claims (company_id, claim_number);

-- Every change, append-only: who, acting in which company (and as which
-- vendor), what, before and after, when.
CREATE TABLE audit_events (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at       timestamptz NOT NULL DEFAULT now(),
    -- The organization whose log shows the event (NULL: platform-wide).
    org_id            bigint      REFERENCES organizations (id),
    actor_user_id     bigint      REFERENCES users (id),
    -- Who acted, as they were named then ("Ann Lee <ann@…>", "operator").
    actor_label       text        NOT NULL CHECK (btrim(actor_label) <> ''),
    acting_company_id bigint      REFERENCES companies (id),
    acting_vendor_id  bigint      REFERENCES organizations (id),
    action            text        NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    target_type       text        NOT NULL CHECK (target_type ~ '^[a-z_]+$'),
    target_id         text,
    before            jsonb,
    after             jsonb,
    request_id        text
);
CREATE INDEX audit_events_org ON audit_events (org_id, id DESC);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, id DESC);

CREATE FUNCTION audit_events_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();
