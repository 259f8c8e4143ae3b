// Hostile requests a browser or a script can make against the production server: redirects to
// other sites, cross-site writes riding on the session cookie, sessions that outlive sign-out,
// expired API tokens. Each is refused with a clear 4xx and writes nothing.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { hashPassword } from "../lib/data/password";
import { generateApiToken } from "../lib/data/api-token";
import { ACCOUNTS, DEMO_PASSWORD, storageState, withDb } from "./fixtures";

async function signInOverHttp(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/", json: "true" },
  });
}

/** A person of their own, so that ending their sessions cannot sign out another spec's saved ones. */
async function freshUser(label: string): Promise<string> {
  const email = `${label}-${Math.random().toString(36).slice(2, 8)}@harden.dev`;
  const hash = await hashPassword(DEMO_PASSWORD);
  await withDb((client) =>
    client.query(
      "INSERT INTO app_user (email, name, role, seniority, password_hash, updated_at) VALUES ($1, $1, 'LEAD', 'SENIOR', $2, now())",
      [email, hash],
    ),
  );
  return email;
}

/**
 * What a forged write of the system `key` could have left: the system, and audit events naming
 * it. Scoped to the key because other journeys write at the same time.
 */
async function traces(key: string) {
  return withDb(
    async (client) =>
      (
        await client.query(
          `SELECT (SELECT count(*) FROM system WHERE key = $1) AS systems,
                  (SELECT count(*) FROM audit_event WHERE system_key = $1 OR data::text LIKE '%' || $1 || '%') AS events`,
          [key],
        )
      ).rows[0] as Record<string, string>,
  );
}

test.describe("redirects after sign-in stay on this site", () => {
  for (const target of [
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%09/evil.example",
    "//evil.example",
    "https://evil.example/",
    "/%0d%0aSet-Cookie:x=1",
    "/%00",
  ]) {
    test(`a signed-in visit to /signin?callbackUrl=${target} goes nowhere else and is no 500`, async ({
      playwright,
      baseURL,
    }) => {
      const api = await playwright.request.newContext({ baseURL, storageState: storageState("exec") });
      const response = await api.get(`/signin?callbackUrl=${target}`, { maxRedirects: 0 });
      expect(response.status()).toBeLessThan(500);
      const location = response.headers()["location"];
      expect(location, "a redirect").toBeTruthy();
      // The browser's reading of the Location header must be this very origin.
      expect(new URL(location!, baseURL).origin).toBe(new URL(baseURL!).origin);
      await api.dispose();
    });
  }

  test("the sign-in form sends a signed-out visitor home, not to another site", async ({ browser, baseURL }) => {
    const email = await freshUser("redirect");
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto("/signin?callbackUrl=/%5Cevil.example");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(
      (url) => url.origin === new URL(baseURL!).origin && !url.pathname.startsWith("/signin"),
    );
    await context.close();
  });
});

test.describe("cross-site writes with the session cookie", () => {
  test("a cookie POST from another origin, or as text/plain, is refused and writes nothing", async ({
    playwright,
    baseURL,
  }) => {
    const api = await playwright.request.newContext({ baseURL, storageState: storageState("lead") });
    const key = `csrf-${Date.now()}`;
    const body = JSON.stringify({ key, name: "Forged", team: "Payments", tier: "TIER_2" });
    const forged = await api.post("/api/v1/systems", {
      data: body,
      headers: { Origin: "http://evil.example", "Content-Type": "text/plain" },
    });
    expect(forged.status()).toBe(403);
    expect(forged.headers()["content-type"]).toContain("application/problem+json");
    const noOrigin = await api.post("/api/v1/systems", {
      data: body,
      headers: { "Content-Type": "application/json", "Sec-Fetch-Site": "cross-site" },
    });
    expect(noOrigin.status()).toBe(403);
    const plain = await api.post("/api/v1/systems", {
      data: body,
      headers: { Origin: baseURL!, "Content-Type": "text/plain" },
    });
    expect(plain.status()).toBe(415);
    const nullOrigin = await api.put("/api/v1/systems/x/assignments", {
      data: "{}",
      headers: { Origin: "null", "Content-Type": "application/json" },
    });
    expect(nullOrigin.status()).toBe(403);
    expect(await traces(key)).toEqual({ systems: "0", events: "0" });
    // The app's own pages still write: same origin, JSON.
    const own = await api.post("/api/v1/systems", {
      data: body,
      headers: { Origin: baseURL!, "Content-Type": "application/json" },
    });
    expect(own.status()).toBe(201);
    await api.dispose();
  });

  test("a bearer-token request is not affected by its Origin", async ({ playwright, baseURL }) => {
    const { token, hash, prefix } = generateApiToken();
    await withDb((client) =>
      client.query(
        "INSERT INTO api_token (user_id, name, token_hash, prefix) SELECT id, 'e2e', $2, $3 FROM app_user WHERE email = $1",
        [ACCOUNTS.lead, hash, prefix],
      ),
    );
    const api = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${token}` },
    });
    const response = await api.post("/api/v1/systems", {
      data: { key: `bearer-${Date.now()}`, name: "Scripted", team: "Payments", tier: "TIER_2" },
      headers: { Origin: "http://evil.example" },
    });
    expect(response.status()).toBe(201);
    await api.dispose();
  });

  test("a server action posted from another site is a 403, not a 500", async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL, storageState: storageState("lead") });
    const response = await api.post("/settings", {
      headers: {
        Origin: "http://evil.example",
        "Next-Action": "0".repeat(42),
        "Content-Type": "text/plain;charset=UTF-8",
      },
      data: "[]",
    });
    expect(response.status()).toBe(403);
    // Refused by the proxy before any action is looked up or runs: its own problem, not Next's.
    expect(response.headers()["content-type"]).toContain("application/problem+json");
    expect(((await response.json()) as { detail: string }).detail).toBe(
      "This form was submitted from another site; nothing was changed.",
    );
    await api.dispose();
  });
});

test.describe("signing out ends the session on the server", () => {
  test("the old session cookie no longer works after POST /api/auth/signout", async ({ playwright, baseURL }) => {
    const email = await freshUser("signout");
    const api = await playwright.request.newContext({ baseURL });
    expect((await signInOverHttp(api, email, DEMO_PASSWORD)).ok()).toBe(true);
    expect((await api.get("/api/v1/me")).status()).toBe(200);
    const saved = await api.storageState();
    // A second session of the same person (another browser) is not ended by this sign-out.
    const other = await playwright.request.newContext({ baseURL });
    expect((await signInOverHttp(other, email, DEMO_PASSWORD)).ok()).toBe(true);
    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await api.post("/api/auth/signout", { form: { csrfToken, callbackUrl: "/signin", json: "true" } });
    const replay = await playwright.request.newContext({ baseURL, storageState: saved });
    expect((await replay.get("/api/v1/me")).status()).toBe(401);
    expect((await other.get("/api/v1/me")).status()).toBe(200);
    await Promise.all([api.dispose(), replay.dispose(), other.dispose()]);
  });

  test("Sign out everywhere in Settings ends every session of that person", async ({
    browser,
    playwright,
    baseURL,
  }) => {
    const email = await freshUser("everywhere");
    const elsewhere = await playwright.request.newContext({ baseURL });
    expect((await signInOverHttp(elsewhere, email, DEMO_PASSWORD)).ok()).toBe(true);
    expect((await elsewhere.get("/api/v1/me")).status()).toBe(200);
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).not.toHaveURL(/\/signin/);
    await page.goto("/settings");
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect((await elsewhere.get("/api/v1/me")).status()).toBe(401);
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/signin/);
    await Promise.all([context.close(), elsewhere.dispose()]);
  });
});

test.describe("API tokens expire", () => {
  test("an expired token is a 401 that says it expired; Settings shows expiry and last use", async ({
    playwright,
    baseURL,
    browser,
  }) => {
    const email = await freshUser("tokens");
    const { token, hash, prefix } = generateApiToken();
    await withDb((client) =>
      client.query(
        "INSERT INTO api_token (user_id, name, token_hash, prefix, expires_at) SELECT id, 'old script', $2, $3, now() - interval '1 day' FROM app_user WHERE email = $1",
        [email, hash, prefix],
      ),
    );
    const api = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${token}` },
    });
    const response = await api.get("/api/v1/me");
    expect(response.status()).toBe(401);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/expired/);
    await api.dispose();

    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).not.toHaveURL(/\/signin/);
    await page.goto("/settings");
    await expect(page.getByRole("columnheader", { name: "Expires" })).toBeVisible();
    await expect(page.getByRole("row", { name: /old script/ }).getByText("Expired")).toBeVisible();
    await page.getByLabel("Token name (what uses it)").fill("nightly export");
    await page.getByLabel("Expires").selectOption("30");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByText(/Created “nightly export”\. It expires on /)).toBeVisible();
    await context.close();
  });
});

test.describe("the per-IP sign-in limit", () => {
  test("counts the connection's address, not a client-written X-Forwarded-For", async ({ playwright, baseURL }) => {
    const email = `nobody-${Math.random().toString(36).slice(2, 8)}@harden.dev`;
    const api = await playwright.request.newContext({ baseURL });
    for (const forged of ["6.6.6.6", "7.7.7.7"]) {
      const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
      await api.post("/api/auth/callback/credentials", {
        form: { email, password: "wrong password", csrfToken, callbackUrl: "/", json: "true" },
        headers: { "X-Forwarded-For": forged },
      });
    }
    const ips = await withDb(async (client) =>
      (await client.query<{ ip: string }>("SELECT ip FROM login_attempt WHERE email = $1", [email])).rows.map(
        (r) => r.ip,
      ),
    );
    expect(ips).toHaveLength(2);
    // Both attempts count against the one address they came from, whatever the header claimed.
    expect(new Set(ips).size).toBe(1);
    expect(ips[0]).not.toMatch(/^[67]\.[67]\.[67]\.[67]$/);
    expect(ips[0]).not.toBe("unknown");
    await api.dispose();
  });
});
