-- A change counter of the embeddings: every transaction that adds, replaces or removes embeddings
-- (of any model version, an erasure's cascade included) raises it by one as it commits. An index
-- records the value it was last found equal to PostgreSQL at (its checkpoint): while PostgreSQL
-- still holds that value, nothing changed since, and the index is current without being read.
create table embedding_generation (
    only_row   boolean primary key default true check (only_row),
    generation bigint  not null
);
insert into embedding_generation (generation) values (0);

-- Once per transaction, at commit: a constraint trigger fires per row, so a flag local to the
-- transaction keeps the rest of its rows from raising it again. Deferred to the commit, the row
-- lock is taken last and held only while the transaction commits: writers queue there briefly and
-- cannot deadlock on it, and commits raise the counter in the order they become visible.
create function embedding_generation_bump() returns trigger language plpgsql as $$
begin
    if current_setting('reid.embedding_changed', true) is distinct from 'yes' then
        perform set_config('reid.embedding_changed', 'yes', true);
        update embedding_generation set generation = generation + 1;
    end if;
    return null;
end
$$;

create constraint trigger embedding_changed after insert or update or delete on embedding
    deferrable initially deferred for each row execute function embedding_generation_bump();
