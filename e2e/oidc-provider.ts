// A real OpenID Connect provider (the certified `oidc-provider` package) on localhost, for the
// single sign-on journey: the app talks to it exactly as it would to Okta, Entra ID or Keycloak.
// Its development login form accepts any login; the accounts below decide the claims.
import http from "node:http";
import Provider from "oidc-provider";

export interface TestAccount {
  email: string;
  name: string;
}

export const OIDC_CLIENT = { id: "resetboard-e2e", secret: "e2e-client-secret-not-for-production" };

export async function startOidcProvider(options: {
  port: number;
  redirectUri: string;
  accounts: Record<string, TestAccount>;
}) {
  const issuer = `http://127.0.0.1:${options.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Put the scope's claims (email, name) in the ID token, as Okta, Entra ID, Google and
    // Keycloak do; the app reads them from the validated ID token.
    conformIdTokenClaims: false,
    cookies: { keys: ["e2e-cookie-key-one", "e2e-cookie-key-two"] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      const account = options.accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: account.email, email_verified: true, name: account.name }),
      };
    },
  });
  // The development interactions warn on every start; the test output needs none of it.
  provider.on("server_error", (_ctx, error) => console.error("[oidc-provider]", error));
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return {
    issuer,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
