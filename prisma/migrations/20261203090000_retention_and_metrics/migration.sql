-- Retention and erasure: a message whose mail was erased keeps a tombstone (dedup key, sha256,
-- size, dates, status and reason, so that a copy sent again is still recognised as one already
-- seen); its raw bytes become empty and erased_at says when. raw stays NOT NULL so that every
-- reader of it keeps one shape; erased_at is what tells an erased message apart.
ALTER TABLE "messages" ADD COLUMN "erased_at" TIMESTAMPTZ(3);

-- Metrics count messages by source and status at every scrape: an index-only scan with this.
CREATE INDEX "messages_source_status_idx" ON "messages"("source", "status");

-- Expired sessions are pruned by expiry time.
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- Erasure requests find a sender's messages and statements by address, whatever its case.
CREATE INDEX "messages_from_address_lower_idx" ON "messages" (lower("from_address"));
CREATE INDEX "statements_sender_address_lower_idx" ON "statements" (lower("sender_address"));
