-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('received', 'parsed', 'drafted', 'ignored', 'failed');

-- CreateEnum
CREATE TYPE "StatementStatus" AS ENUM ('draft', 'approved', 'published', 'unpublished', 'rejected');

-- CreateEnum
CREATE TYPE "EditorRole" AS ENUM ('editor', 'admin');

-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "message_id_header" TEXT,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "raw" BYTEA NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "MessageStatus" NOT NULL DEFAULT 'received',
    "status_reason" TEXT,
    "error" TEXT,
    "not_statement" BOOLEAN NOT NULL DEFAULT false,
    "parsed_at" TIMESTAMPTZ(3),
    "from_address" TEXT,
    "from_name" TEXT,
    "to_addresses" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "subject" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "in_reply_to" TEXT,
    "headers" JSONB,
    "text_body" TEXT,
    "html_body" TEXT,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_locations" (
    "id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "mailbox" TEXT NOT NULL,
    "uid_validity" BIGINT NOT NULL,
    "uid" BIGINT NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_locations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mailbox_checkpoints" (
    "mailbox" TEXT NOT NULL,
    "uid_validity" BIGINT NOT NULL,
    "last_uid" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mailbox_checkpoints_pkey" PRIMARY KEY ("mailbox")
);

-- CreateTable
CREATE TABLE "attachments" (
    "id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "filename" TEXT,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "content_id" TEXT,
    "inline" BOOLEAN NOT NULL DEFAULT false,
    "extracted_text" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "organisations" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "short_name" TEXT,
    "country" TEXT,
    "website" TEXT,
    "sender_addresses" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "sender_domains" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "organisations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "topics" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "introduction" TEXT NOT NULL DEFAULT '',
    "open" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "topics_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "statements" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "status" "StatementStatus" NOT NULL DEFAULT 'draft',
    "version" INTEGER NOT NULL DEFAULT 1,
    "message_id" UUID,
    "title" TEXT NOT NULL,
    "organisation_name" TEXT,
    "organisation_short" TEXT,
    "organisation_id" UUID,
    "statement_date" DATE,
    "language" TEXT,
    "body_html" TEXT NOT NULL DEFAULT '',
    "body_text" TEXT NOT NULL DEFAULT '',
    "signatories" JSONB NOT NULL DEFAULT '[]',
    "extraction" JSONB NOT NULL DEFAULT '{}',
    "forwarded_by" TEXT,
    "sender_verified" BOOLEAN NOT NULL DEFAULT false,
    "topic_id" UUID,
    "topic_position" INTEGER,
    "rejection_reason" TEXT,
    "unpublish_reason" TEXT,
    "duplicate_of_id" UUID,
    "likely_duplicate_of_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "content_updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approved_at" TIMESTAMPTZ(3),
    "published_at" TIMESTAMPTZ(3),
    "first_published_at" TIMESTAMPTZ(3),
    "unpublished_at" TIMESTAMPTZ(3),

    CONSTRAINT "statements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "statement_revisions" (
    "id" UUID NOT NULL,
    "statement_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "editor_id" UUID,
    "changes" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "statement_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "editors" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" "EditorRole" NOT NULL DEFAULT 'editor',
    "password_hash" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "editors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "editor_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "editor_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rejection_reasons" (
    "id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rejection_reasons_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entries" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "messages_dedup_key_key" ON "messages"("dedup_key");

-- CreateIndex
CREATE INDEX "messages_status_received_at_idx" ON "messages"("status", "received_at" DESC);

-- CreateIndex
CREATE INDEX "message_locations_message_id_idx" ON "message_locations"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "message_locations_mailbox_uid_validity_uid_key" ON "message_locations"("mailbox", "uid_validity", "uid");

-- CreateIndex
CREATE INDEX "attachments_message_id_idx" ON "attachments"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "organisations_name_key" ON "organisations"("name");

-- CreateIndex
CREATE UNIQUE INDEX "topics_slug_key" ON "topics"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "statements_slug_key" ON "statements"("slug");

-- CreateIndex
CREATE INDEX "statements_status_created_at_idx" ON "statements"("status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "statements_topic_id_topic_position_idx" ON "statements"("topic_id", "topic_position");

-- CreateIndex
CREATE INDEX "statements_message_id_idx" ON "statements"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "statement_revisions_statement_id_version_key" ON "statement_revisions"("statement_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "editors_email_key" ON "editors"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");

-- CreateIndex
CREATE INDEX "sessions_editor_id_idx" ON "sessions"("editor_id");

-- CreateIndex
CREATE UNIQUE INDEX "rejection_reasons_text_key" ON "rejection_reasons"("text");

-- CreateIndex
CREATE INDEX "audit_entries_at_idx" ON "audit_entries"("at" DESC);

-- CreateIndex
CREATE INDEX "audit_entries_target_type_target_id_idx" ON "audit_entries"("target_type", "target_id");

-- Full-text search over title, organisation and body (the queue's search box). An expression
-- index, which schema.prisma cannot describe; src/moderation queries use the same expression.
CREATE INDEX "statements_search_idx" ON "statements" USING GIN (
    to_tsvector('simple', coalesce("title", '') || ' ' || coalesce("organisation_name", '') || ' ' || coalesce("organisation_short", '') || ' ' || "body_text")
);

-- AddForeignKey
ALTER TABLE "message_locations" ADD CONSTRAINT "message_locations_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statements" ADD CONSTRAINT "statements_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statements" ADD CONSTRAINT "statements_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statements" ADD CONSTRAINT "statements_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "topics"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statements" ADD CONSTRAINT "statements_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "statements"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statements" ADD CONSTRAINT "statements_likely_duplicate_of_id_fkey" FOREIGN KEY ("likely_duplicate_of_id") REFERENCES "statements"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement_revisions" ADD CONSTRAINT "statement_revisions_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement_revisions" ADD CONSTRAINT "statement_revisions_editor_id_fkey" FOREIGN KEY ("editor_id") REFERENCES "editors"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_editor_id_fkey" FOREIGN KEY ("editor_id") REFERENCES "editors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_editor_id_fkey" FOREIGN KEY ("editor_id") REFERENCES "editors"("id") ON DELETE CASCADE ON UPDATE CASCADE;
