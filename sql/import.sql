--
-- IMPORT FOREIGN SCHEMA bedrock: one table, every column.
--
\getenv emu_url EMU_URL
CREATE SERVER import_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint :'emu_url');

CREATE SCHEMA imported;
IMPORT FOREIGN SCHEMA bedrock FROM SERVER import_server INTO imported;
\d imported.bedrock_jobs

-- LIMIT TO and EXCEPT are honoured
CREATE SCHEMA limited;
IMPORT FOREIGN SCHEMA bedrock LIMIT TO (bedrock_jobs) FROM SERVER import_server INTO limited;
SELECT count(*) FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
  WHERE c.relnamespace = 'limited'::regnamespace;
CREATE SCHEMA excepted;
IMPORT FOREIGN SCHEMA bedrock EXCEPT (bedrock_jobs) FROM SERVER import_server INTO excepted;
SELECT count(*) FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
  WHERE c.relnamespace = 'excepted'::regnamespace;

-- there is no other remote schema
IMPORT FOREIGN SCHEMA public FROM SERVER import_server INTO imported;

-- importing twice reports the existing table
IMPORT FOREIGN SCHEMA bedrock FROM SERVER import_server INTO imported;

DROP SCHEMA imported, limited, excepted CASCADE;
DROP SERVER import_server CASCADE;
