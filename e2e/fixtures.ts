// Shared pieces of the end-to-end specs: the demo accounts, their saved sessions, and direct
// access to the test database for setting up what the UI cannot (API tokens for a user).
import path from "node:path";
import pg from "pg";
import { generateApiToken } from "../lib/data/api-token";
// From the pure demo data, not the seed: the seed writes through server-only modules.
import { DEMO_PASSWORD } from "../prisma/seed-data";

export { DEMO_PASSWORD };

export const ACCOUNTS = {
  lead: "lead@resetboard.dev",
  exec: "exec@resetboard.dev",
  owner: "owner@resetboard.dev",
  reviewer: "reviewer@resetboard.dev",
  junior: "junior@resetboard.dev",
} as const;

export type DemoRole = keyof typeof ACCOUNTS;

export const storageState = (role: DemoRole) => path.resolve("e2e", ".auth", `${role}.json`);

export async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set: run the e2e tests through `npm test`.");
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An API token for a demo user, inserted directly (the UI path is covered by its own spec). */
export async function tokenFor(email: string): Promise<string> {
  const { token, hash, prefix } = generateApiToken();
  await withDb((client) =>
    client.query(
      "INSERT INTO api_token (user_id, name, token_hash, prefix) SELECT id, 'e2e', $2, $3 FROM app_user WHERE email = $1",
      [email, hash, prefix],
    ),
  );
  return token;
}
