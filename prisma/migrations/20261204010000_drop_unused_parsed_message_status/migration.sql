-- The message state `parsed` was never written: parsing and its outcome commit together, so a
-- message goes from `received` straight to `drafted`, `ignored` or `failed`. PostgreSQL cannot
-- drop a value from an enum, so the type is made again without it. Any row that somehow holds
-- it goes back to `received`, to be parsed again at the next start.
UPDATE messages SET status = 'received' WHERE status = 'parsed';
ALTER TYPE "MessageStatus" RENAME TO "MessageStatus_with_parsed";
CREATE TYPE "MessageStatus" AS ENUM ('received', 'drafted', 'ignored', 'failed');
ALTER TABLE messages ALTER COLUMN status DROP DEFAULT;
ALTER TABLE messages ALTER COLUMN status TYPE "MessageStatus" USING status::text::"MessageStatus";
ALTER TABLE messages ALTER COLUMN status SET DEFAULT 'received';
DROP TYPE "MessageStatus_with_parsed";
