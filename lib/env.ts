// The one place that reads process.env (STYLE.md): validated once, typed everywhere else.
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
  })
  .superRefine((value, ctx) => {
    if (value.NODE_ENV === "production" && !value.NEXTAUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["NEXTAUTH_SECRET"], message: "is required in production (npm start generates one)" });
    }
  });

export type Env = z.infer<typeof schema>;

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
