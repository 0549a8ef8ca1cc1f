-- The model version each replica serves, kept with its heartbeat: a retired version's shared index
-- (a SolrCloud collection) is dropped only once no live replica serves it any more.
alter table service_replica add column serving_model_id bigint;
