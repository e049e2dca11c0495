-- A tsvector cannot exceed 1 MB, so a very long statement could never be stored while the index
-- covered its whole text ("string is too long for tsvector"). Index the first 200,000
-- characters; src/moderation/statement-queries.ts searches with the same expression.
DROP INDEX "statements_search_idx";

CREATE INDEX "statements_search_idx" ON "statements" USING GIN (
    to_tsvector('simple', left(coalesce("title", '') || ' ' || coalesce("organisation_name", '') || ' ' || coalesce("organisation_short", '') || ' ' || "body_text", 200000))
);
