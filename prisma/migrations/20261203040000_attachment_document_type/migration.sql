-- What an attachment's bytes are, whatever its sender declared: 'pdf', 'docx', 'odt', 'doc', or
-- NULL for anything else. Public "original files" are listed and served only when these bytes
-- agree with the type the sender claimed (src/publishing/public-statement.ts), so an HTML page
-- named "statement.pdf" is never offered as a PDF. A generated column: computed by PostgreSQL
-- for every row, old ones included, and never out of step with the content.
--   pdf:  starts with "%PDF-"
--   docx: a zip ("PK\x03\x04") holding a "word/document.xml" entry
--   odt:  a zip whose first entry is "mimetype" = application/vnd.oasis.opendocument.text
--   doc:  an OLE2 compound file (D0 CF 11 E0 A1 B1 1A E1)
ALTER TABLE "attachments" ADD COLUMN "document_type" TEXT GENERATED ALWAYS AS (
  CASE
    WHEN substring("content" FROM 1 FOR 5) = '\x255044462d'::bytea THEN 'pdf'
    WHEN substring("content" FROM 1 FOR 4) = '\x504b0304'::bytea
      AND substring("content" FROM 31 FOR 47) = '\x6d696d65747970656170706c69636174696f6e2f766e642e6f617369732e6f70656e646f63756d656e742e74657874'::bytea THEN 'odt'
    WHEN substring("content" FROM 1 FOR 4) = '\x504b0304'::bytea
      AND position('\x776f72642f646f63756d656e742e786d6c'::bytea IN "content") > 0 THEN 'docx'
    WHEN substring("content" FROM 1 FOR 8) = '\xd0cf11e0a1b11ae1'::bytea THEN 'doc'
  END
) STORED;
