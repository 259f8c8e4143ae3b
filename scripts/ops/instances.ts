// Production instances (scripts/serve.ts) started for the operations tests and the load bench:
// each its own process on its own port, stopped with SIGTERM like an orchestrator would.
import { spawn, type ChildProcess } from "node:child_process";

export interface Instance {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  process: ChildProcess;
  /** The instance's stdout/stderr lines (JSON logs), for assertions and for failure reports. */
  output: string[];
  /** Sends SIGTERM and resolves with the exit code once the process has exited. */
  stop(): Promise<number | null>;
}

export async function startInstance(
  port: number,
  env: Record<string, string>,
  options: { host?: string } = {},
): Promise<Instance> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), HOST: options.host ?? "127.0.0.1" };
  // The test runner runs with the react-server condition; the Next server must not inherit it.
  delete childEnv.NODE_OPTIONS;
  // One process, as `npm run start:prod` runs it: tsx as a loader, not its CLI, whose wrapper
  // process would stand between SIGTERM and the server's own drain.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split("\n").filter(Boolean));
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`The instance on port ${port} exited while starting:\n${output.slice(-15).join("\n")}`);
    try {
      const response = await fetch(`${url}/api/health/ready`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The instance on port ${port} was not ready within 90 s:\n${output.slice(-15).join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    port,
    url,
    process: child,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A signed-in browser-like client: the session cookie from the credentials sign-in. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${baseUrl}/dashboard` }),
  });
  const session = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c));
  if (!session)
    throw new Error(`Sign-in as ${email} on ${baseUrl} gave no session cookie (status ${response.status}).`);
  return session;
}
