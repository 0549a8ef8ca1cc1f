-- Which service replica runs a batch or a switch, and whether that replica is still alive. Each
-- start of the service is a replica with an id of its own; it beats in service_replica while it
-- runs, and a batch or switch it claims names it as owner. Work whose owner has stopped beating is
-- resumed by another replica (or the next start) without waiting for the work itself to go stale.
create table service_replica (
    id           uuid        primary key,
    started_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now()
);

alter table ingest_batch add column owner uuid;
alter table model_switch add column owner uuid;
