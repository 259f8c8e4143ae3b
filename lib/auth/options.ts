// next-auth configuration (docs/ARCHITECTURE.md, section 3): credentials with argon2id for local and demo use,
// OpenID Connect when configured, JWT sessions that carry only the user id and the sign-in time.
// Everything else about the user is re-read from the database on each request (session.ts).
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { clientIp } from "@/lib/auth/request-ip";
import { safeRedirectUrl } from "@/lib/auth/safe-redirect";
import { endSession } from "@/lib/data/sessions";
import { signInWithOidc, signInWithPassword } from "@/lib/data/sign-in";
import { env, oidcConfig } from "@/lib/env";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** Thrown by authorize() so the sign-in route can tell "too many attempts" from a wrong password. */
export class SignInRateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-ins for this account. Try again in ${retryAfterSeconds} seconds.`);
  }
}

interface OidcProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export function authOptions(hooks: { onRateLimited?: (refusal: SignInRateLimited) => void } = {}): NextAuthOptions {
  const oidc = oidcConfig();
  const hops = env().TRUSTED_PROXY_HOPS;
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const ip = clientIp((req.headers ?? {}) as Record<string, string>, hops);
          const result = await signInWithPassword(credentials?.email, credentials?.password, ip);
          if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name };
          if (result.reason === "rate_limited") {
            const refusal = new SignInRateLimited(result.retryAfterSeconds);
            hooks.onRateLimited?.(refusal);
            throw refusal;
          }
          return null;
        },
      }),
      ...(oidc
        ? [
            {
              id: "oidc",
              name: oidc.name,
              type: "oauth" as const,
              wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
              clientId: oidc.clientId,
              clientSecret: oidc.clientSecret,
              authorization: { params: { scope: "openid email profile" } },
              idToken: true,
              checks: ["pkce" as const, "state" as const],
              profile(profile: OidcProfile) {
                return {
                  id: profile.sub,
                  email: profile.email ?? null,
                  name: profile.name ?? null,
                  emailVerified: profile.email_verified,
                };
              },
            },
          ]
        : []),
    ],
    events: {
      // A sign-out ends the session on the server too: the old cookie no longer works.
      async signOut({ token }) {
        const { sub, sid, exp } = (token ?? {}) as { sub?: unknown; sid?: unknown; exp?: unknown };
        if (typeof sub !== "string" || typeof sid !== "string") return;
        const expiresAt = new Date(typeof exp === "number" ? exp * 1000 : Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
        await endSession(sub, sid, expiresAt);
      },
    },
    callbacks: {
      // Every redirect next-auth makes (after sign-in, sign-out, errors) stays on this app.
      redirect({ url, baseUrl }) {
        return safeRedirectUrl(url, baseUrl);
      },
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const claims = (profile ?? {}) as Partial<OidcProfile>;
        const result = await signInWithOidc(
          { email: claims.email ?? user.email, name: claims.name ?? user.name, emailVerified: claims.email_verified },
          oidc?.allowedDomains ?? [],
          "oidc",
        );
        if (!result.ok) return "/signin?error=NoAccount";
        // Carry our own user id forward: the provider's `sub` is not our id.
        user.id = result.user.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          // The sign-in instant, kept as is when the token is refreshed, so that revoking a
          // user's sessions (sessionsValidAfter) also ends refreshed ones.
          token.authAt = Date.now();
          // This session's own id, so that signing out can end exactly this one on the server.
          token.sid = crypto.randomUUID();
        }
        return token;
      },
      async session({ session, token }) {
        return {
          expires: session.expires,
          user: { id: token.sub },
          authAt: token.authAt,
          sid: token.sid,
        } as typeof session;
      },
    },
  };
}
