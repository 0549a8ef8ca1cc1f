-- The model registry, shared by the training job (publishes candidates) and the service (serves the
-- active model). Artifacts are stored whole, so the service needs nothing but this database.
create table model_version (
    id              bigserial primary key,
    name            text        not null,
    version         text        not null,
    state           text        not null check (state in ('candidate', 'active', 'retired', 'rejected')),
    state_reason    text,
    manifest        jsonb       not null,
    metrics         jsonb,
    artifact        bytea       not null,
    artifact_sha256 char(64)    not null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    unique (name, version)
);

-- At most one active model at any time.
create unique index model_version_one_active on model_version ((state)) where state = 'active';
