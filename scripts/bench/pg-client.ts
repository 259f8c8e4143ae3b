// The bench's own Postgres connections. Each gets an error listener: when Ctrl-C stops the
// cluster under a connection that is still open, pg emits 'error' on the client, and without a
// listener that crashes the process before the rest of the clean-up (the temporary folder) runs.
import pg from "pg";

export async function connect(connectionString: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: applicationName });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}
