-- Answering senders (issue 13): the outbox of mail to send, the per-submission status token, the
-- quiet start of each mailbox, admins' template overrides, and corrections that attach to the
-- statement they correct.

CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sent', 'failed', 'suppressed');
CREATE TYPE "CorrectionStatus" AS ENUM ('pending', 'applied', 'dismissed');

-- One row per mail we decided about: `pending` until the sender loop delivers it (`sent`) or
-- gives up (`failed`); `suppressed` records why nothing was sent (loop safety, quiet start).
-- Written in the same transaction as the draft it acknowledges.
CREATE TABLE "outbox" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "statement_id" UUID,
    "message_id" UUID,
    "to_address" TEXT,
    "message_id_header" TEXT,
    "subject" TEXT,
    "in_reply_to" TEXT,
    "references" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "language" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "interrupted" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "leased_by" TEXT,
    "last_error" TEXT,
    "smtp_response" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "outbox_message_id_header_key" ON "outbox"("message_id_header");
CREATE UNIQUE INDEX "outbox_statement_id_kind_key" ON "outbox"("statement_id", "kind");
CREATE INDEX "outbox_status_next_attempt_at_idx" ON "outbox"("status", "next_attempt_at");
CREATE INDEX "outbox_to_address_created_at_idx" ON "outbox"("to_address", "created_at");
CREATE INDEX "outbox_message_id_idx" ON "outbox"("message_id");
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The sender's status page: only the sha256 of the token is kept.
CREATE TABLE "submissions" (
    "statement_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "sender_note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note_updated_at" TIMESTAMPTZ(3),
    CONSTRAINT "submissions_pkey" PRIMARY KEY ("statement_id")
);
CREATE UNIQUE INDEX "submissions_token_hash_key" ON "submissions"("token_hash");
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Where answering starts per source: the history found at the first sync (up to
-- history_last_uid under uid_validity) and anything dated before started_at is never answered.
CREATE TABLE "answer_starts" (
    "source_key" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uid_validity" BIGINT,
    "history_last_uid" BIGINT,
    CONSTRAINT "answer_starts_pkey" PRIMARY KEY ("source_key")
);

-- Admins' wording of the mails we send, per kind and language, over the built-in templates.
CREATE TABLE "mail_templates" (
    "kind" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "body_text" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,
    CONSTRAINT "mail_templates_pkey" PRIMARY KEY ("kind", "language")
);

-- A message that corrects a statement already drafted: pending until an editor applies it (a
-- revision of the statement) or dismisses it.
CREATE TABLE "statement_corrections" (
    "id" UUID NOT NULL,
    "statement_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "status" "CorrectionStatus" NOT NULL DEFAULT 'pending',
    "matched_by" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "body_text" TEXT NOT NULL DEFAULT '',
    "signatories" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    CONSTRAINT "statement_corrections_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "statement_corrections_message_id_key" ON "statement_corrections"("message_id");
CREATE INDEX "statement_corrections_statement_id_status_idx" ON "statement_corrections"("statement_id", "status");
CREATE INDEX "statement_corrections_status_statement_id_idx" ON "statement_corrections"("status", "statement_id");
ALTER TABLE "statement_corrections" ADD CONSTRAINT "statement_corrections_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "statement_corrections" ADD CONSTRAINT "statement_corrections_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Threading a reply to the submission it answers: the original's Message-ID header.
CREATE INDEX "messages_message_id_header_idx" ON "messages"("message_id_header");
-- The same sender's recent submissions (corrections, the acknowledgement rate limit).
CREATE INDEX "messages_from_address_received_at_idx" ON "messages"("from_address", "received_at");
