-- Queries that stay fast as the archive grows (issue 15).
--
-- Full-text search reads a stored tsvector instead of computing to_tsvector for each row it
-- looks at: with the old expression index, a common word made the planner choose a parallel
-- seq scan that ran to_tsvector over every statement (15 s at 50k). The column is generated, so
-- every writer (ingest, edits, the draft made from an ignored email) keeps it right; the first
-- 200,000 characters, as before, because a tsvector cannot pass 1 MB.
DROP INDEX "statements_search_idx";

ALTER TABLE "statements" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', left(coalesce("title", '') || ' ' || coalesce("organisation_name", '') || ' ' || coalesce("organisation_short", '') || ' ' || "body_text", 200000))
) STORED;

CREATE INDEX "statements_search_vector_idx" ON "statements" USING GIN ("search_vector");

-- Lists page newest first by (time, id): the unfiltered queue and /api/messages walk these
-- indexes and stop after one page, instead of sorting the whole table for every page.
DROP INDEX "statements_status_created_at_idx";
CREATE INDEX "statements_status_created_at_id_idx" ON "statements"("status", "created_at" DESC, "id" DESC);
CREATE INDEX "statements_created_at_id_idx" ON "statements"("created_at" DESC, "id" DESC);

-- The likely-duplicate check asks, for each new draft, for the newest statements dated within
-- a few days of it: a range on statement_date, read from the index alone.
CREATE INDEX "statements_statement_date_created_at_idx" ON "statements"("statement_date", "created_at" DESC);

-- The language filter's choices: a skip scan over this index, not a pass over every statement.
CREATE INDEX "statements_language_idx" ON "statements"("language");

DROP INDEX "messages_status_received_at_idx";
CREATE INDEX "messages_status_received_at_id_idx" ON "messages"("status", "received_at" DESC, "id" DESC);
CREATE INDEX "messages_received_at_id_idx" ON "messages"("received_at" DESC, "id" DESC);
CREATE INDEX "messages_not_statement_received_at_id_idx" ON "messages"("not_statement", "received_at" DESC, "id" DESC);
