// Prisma CLI configuration (Prisma 7 reads the datasource URL from here, not from the schema).
// Only `prisma generate` runs on our machines; migrations are applied by src/db/migrate.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/statement_desk' },
});
