// The one place that reads process.env (docs/ARCHITECTURE.md, section 2): validated once, typed everywhere else.
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
      .optional(),
    /**
     * A direct connection for migrations when DATABASE_URL goes through a transaction pooler: the
     * migration lock is a session advisory lock (docs/ARCHITECTURE.md, section 8).
     */
    DATABASE_MIGRATION_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_MIGRATION_URL must be a postgres:// or postgresql:// URL")
      .optional(),
    /** Connections per app instance; keep it small behind a pooler. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** Signs the session tokens; every instance behind one load balancer needs the same one. */
    NEXTAUTH_SECRET: optionalString,
    /** The public URL of the app; https turns on Secure (__Secure-/__Host-) cookies. */
    NEXTAUTH_URL: optionalString,
    /** OpenID Connect sign-in, on when issuer, client id and secret are set. */
    OIDC_ISSUER: optionalString,
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_NAME: z.string().trim().min(1).default("Single sign-on"),
    /** Comma-separated email domains whose people get an account on first SSO sign-in. */
    OIDC_ALLOWED_DOMAINS: z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
      ),
    /**
     * How many reverse proxies in front of the app append to X-Forwarded-For. 0 (default): the
     * header is client-controlled, so the per-IP sign-in limit keys on the connection's address.
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
    /** How long a change approval stands before the change ships (docs/RULES.md, rule 16). */
    CHANGE_APPROVAL_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    /** pino level for the JSON logs on stdout. */
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** A bearer token that lets a scraper outside this host read GET /api/metrics. */
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    /** Longest a single SQL statement may run before Postgres cancels it (0 turns it off). */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
    /** Longest a request waits for a pooled connection or a new one. */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    /**
     * Server processes `npm run start:prod` runs on this host (Node's cluster: one port, the
     * connections shared out). One process uses one core; 1 suits one container per core.
     */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    /** Requests one server process handles at once; more wait in line (admission control). */
    REQUEST_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(16),
    /** Requests that may wait for a slot; beyond them the server answers 503 at once. */
    REQUEST_QUEUE_LIMIT: z.coerce.number().int().min(0).max(10_000).default(200),
    /** Longest a request waits in line before it is answered 503 with Retry-After. */
    REQUEST_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    /** How long SIGTERM waits for in-flight requests before the server exits anyway. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(20_000),
    /**
     * The key Next encrypts server-action ids and closures with (base64 of 16, 24 or 32 bytes).
     * Every instance behind one load balancer needs the same one, or an action rendered by one
     * instance is refused by another.
     */
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: optionalString.pipe(
      z
        .string()
        .refine(
          (value) => [16, 24, 32].includes(Buffer.from(value, "base64").length) && /^[A-Za-z0-9+/]+=*$/.test(value),
          "must be the base64 of 16, 24 or 32 random bytes (openssl rand -base64 32)",
        )
        .optional(),
    ),
    /** Outgoing mail, for notifications: smtp:// or smtps:// URL and the From address. */
    SMTP_URL: optionalString.pipe(
      z
        .string()
        .regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL")
        .optional(),
    ),
    MAIL_FROM: optionalString.pipe(
      z
        .string()
        .regex(/^[^\s@<>]+@[^\s@<>]+$|^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/, "must be an email address (or Name <address>)")
        .optional(),
    ),
    /** The key that signs audit anchors (npm run cli -- audit anchor); at least 32 characters. */
    AUDIT_ANCHOR_KEY: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    /** Chat webhooks to private or loopback addresses are refused unless this is "true" (tests, labs). */
    WEBHOOK_ALLOW_PRIVATE: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true"),
    /** "false" keeps this instance from running the notification workers (the app still writes the outbox). */
    NOTIFICATION_WORKERS: z
      .enum(["true", "false"])
      .default("true")
      .transform((value) => value === "true"),
  })
  .superRefine((value, ctx) => {
    if (value.NODE_ENV === "production" && !value.NEXTAUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXTAUTH_SECRET"],
        message: "is required in production (npm start generates one)",
      });
    }
  });

export type Env = z.infer<typeof schema>;

/**
 * What production mode (npm run start:prod) needs beyond the schema, as one line per missing or
 * bad variable so that an operator fixes everything in one pass. Empty when all is well.
 */
export function productionConfigProblems(source: Record<string, string | undefined> = process.env): string[] {
  const problems: string[] = [];
  const parsed = schema.safeParse({ ...source, NODE_ENV: "production" });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".") || "environment"} ${issue.message}`);
  }
  const value = (name: string) => source[name]?.trim() || undefined;
  const need = (name: string, why: string) => {
    if (!value(name)) problems.push(`${name} is missing: ${why}`);
  };
  need("DATABASE_URL", "the postgres:// URL of the database (production mode never starts an embedded Postgres)");
  need("NEXTAUTH_URL", "the public URL of the app, e.g. https://resetboard.example.com");
  need("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "shared by every instance (openssl rand -base64 32)");
  const secret = value("NEXTAUTH_SECRET");
  if (secret && secret.length < 32)
    problems.push("NEXTAUTH_SECRET is too short: use at least 32 random characters (openssl rand -base64 32)");
  const url = value("NEXTAUTH_URL");
  if (url && !/^https?:\/\/[^\s/]+/.test(url))
    problems.push("NEXTAUTH_URL must be an absolute http:// or https:// URL");
  const oidc = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"];
  const oidcSet = oidc.filter((name) => value(name));
  if (oidcSet.length > 0 && oidcSet.length < oidc.length) {
    for (const name of oidc.filter((n) => !value(n)))
      problems.push(`${name} is missing: single sign-on needs all of ${oidc.join(", ")}`);
  }
  const issuer = value("OIDC_ISSUER");
  if (issuer && !/^https?:\/\//.test(issuer)) problems.push("OIDC_ISSUER must be an http:// or https:// URL");
  if (value("SMTP_URL") && !value("MAIL_FROM"))
    problems.push("MAIL_FROM is missing: SMTP_URL is set, so mail needs a From address");
  if (value("MAIL_FROM") && !value("SMTP_URL"))
    problems.push("SMTP_URL is missing: MAIL_FROM is set but there is no mail server to send through");
  return [...new Set(problems)];
}

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${detail}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** The database URL, or a clear error when none is configured. */
export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm start` (it runs an embedded Postgres) or set DATABASE_URL.",
    );
  }
  return url;
}

export function oidcConfig() {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME, OIDC_ALLOWED_DOMAINS } = env();
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return null;
  return {
    issuer: OIDC_ISSUER.replace(/\/$/, ""),
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    name: OIDC_NAME,
    allowedDomains: OIDC_ALLOWED_DOMAINS,
  };
}

/** How notifications leave the app; e-mail is off without SMTP_URL. */
export function notificationConfig() {
  const { SMTP_URL, MAIL_FROM, NEXTAUTH_URL, WEBHOOK_ALLOW_PRIVATE, NOTIFICATION_WORKERS } = env();
  return {
    smtpUrl: SMTP_URL ?? null,
    // Production refuses SMTP_URL without MAIL_FROM (productionConfigProblems); a lab run gets a local one.
    mailFrom: MAIL_FROM ?? "Resetboard <resetboard@localhost>",
    baseUrl: (NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, ""),
    allowPrivateWebhooks: WEBHOOK_ALLOW_PRIVATE,
    workers: NOTIFICATION_WORKERS,
  };
}
