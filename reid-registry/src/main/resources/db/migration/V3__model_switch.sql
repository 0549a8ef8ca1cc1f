-- A model switch: every stored crop is re-embedded with the target version into its own index
-- while the active version keeps answering; then the service swaps over. A row in RUNNING state
-- after a crash is resumed at the next start.
create table model_switch (
    id             bigserial primary key,
    from_model_id  bigint      references model_version (id) on delete set null,
    to_model_id    bigint      not null references model_version (id) on delete cascade,
    state          text        not null check (state in ('RUNNING', 'DONE', 'FAILED')),
    total          integer     not null default 0,
    embedded       integer     not null default 0,
    reason         text,
    error          text,
    requested_by   text        not null,
    started_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    finished_at    timestamptz
);

-- One switch at a time.
create unique index model_switch_one_running on model_switch ((state)) where state = 'RUNNING';
