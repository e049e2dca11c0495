-- The statement's own sender: for a statement that came in a forward, the forwarded message's
-- From, not the member who forwarded it. The organisation registry matches drafts on it when an
-- address or domain is added later. Drafts made before keep NULL and are matched on the email's From.
ALTER TABLE "statements" ADD COLUMN "sender_address" TEXT;
