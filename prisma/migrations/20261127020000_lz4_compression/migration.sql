-- The raw archive and the texts parsed from it are most of what ingest writes: with PostgreSQL's
-- default TOAST compression (pglz) compressing them cost more than parsing them. lz4 compresses
-- several times faster at a similar ratio. Values already stored keep their compression; new
-- ones use lz4. A PostgreSQL built without lz4 keeps pglz (the notice says so) and works the same.
-- Prisma's schema cannot say this, so the schema-drift test does not see it.
DO $$
BEGIN
    ALTER TABLE "messages"
        ALTER COLUMN "raw" SET COMPRESSION lz4,
        ALTER COLUMN "headers" SET COMPRESSION lz4,
        ALTER COLUMN "text_body" SET COMPRESSION lz4,
        ALTER COLUMN "html_body" SET COMPRESSION lz4;
    ALTER TABLE "attachments"
        ALTER COLUMN "content" SET COMPRESSION lz4,
        ALTER COLUMN "extracted_text" SET COMPRESSION lz4;
    ALTER TABLE "statements"
        ALTER COLUMN "body_text" SET COMPRESSION lz4,
        ALTER COLUMN "body_html" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL was built without lz4: messages, attachments and statements keep pglz compression';
END $$;
