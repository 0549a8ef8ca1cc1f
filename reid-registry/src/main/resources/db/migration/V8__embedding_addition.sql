-- What each ingestion chunk's transaction added, keyed by the generation it raised the embeddings'
-- counter to (V5): the entries it created, each with an embedding of every listed model version
-- (two during a model switch). A replica whose index was current at generation c, seeing PostgreSQL
-- at g, finds here whether every raise in between was such a chunk; if so it adds exactly those
-- entries and knows its index current at g, where it would otherwise read every id of its index and
-- of PostgreSQL (O(gallery) per pass on every follower while another replica ingests). A raise
-- without a row here (an erasure, a backfill, a re-embedding) sends it back to that comparison.
-- Rows are kept a while (replica sync deletes old ones): a replica further behind compares.
create table embedding_addition (
    generation        bigint      primary key,
    model_version_ids bigint[]    not null,
    entry_ids         bigint[]    not null,
    added_at          timestamptz not null default now()
);
create index embedding_addition_added_at on embedding_addition (added_at);
