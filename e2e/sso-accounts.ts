// The people the test OpenID provider knows, keyed by the login typed into its form.
export const SSO_ACCOUNTS = {
  // Already a Resetboard user: matched by email.
  owner: { email: "owner@resetboard.dev", name: "Owner (SSO)" },
  // No account yet, but from an allowed domain: one is created on first sign-in.
  newcomer: { email: "newcomer@sso.example", name: "Nia Newcomer" },
  // No account and a domain that is not allowed: refused.
  outsider: { email: "outsider@elsewhere.example", name: "Otto Outsider" },
};
