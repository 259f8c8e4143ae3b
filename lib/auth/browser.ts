// Signing in with a provider and signing out, from the browser: the two POSTs next-auth's own
// client makes (CSRF token first, then the endpoint with json=true, which answers where to go).
// Written out here so that no page ships next-auth/react for two fetches (docs/ARCHITECTURE.md,
// section 9: page weight).

async function post(endpoint: string, fields: Record<string, string>): Promise<string | undefined> {
  const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfToken, json: "true" }),
  });
  return ((await response.json()) as { url?: string }).url;
}

/** Starts a single sign-on round trip with `provider`, coming back to `callbackUrl`. */
export async function signInWith(provider: string, callbackUrl: string): Promise<void> {
  const url = await post(`/api/auth/signin/${encodeURIComponent(provider)}`, { callbackUrl });
  window.location.assign(url ?? `/signin?error=OAuthSignin`);
}

/** Ends the session (its cookie) and goes to `callbackUrl`. */
export async function signOut(callbackUrl = "/signin"): Promise<void> {
  const url = await post("/api/auth/signout", { callbackUrl });
  window.location.assign(url ?? callbackUrl);
}
