import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './node/db/schema/index.ts',
  out: './node/db/migrations',
});
