// The API's front door: tokens, sessions, forged headers, deactivation and the sign-in limit,
// over real HTTP against the production server.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { ACCOUNTS, DEMO_PASSWORD, storageState, tokenFor, withDb } from "./fixtures";

async function signInOverHttp(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/", json: "true" },
  });
}

test.describe("GET /api/v1/program", () => {
  test("answers a bearer token with the program", async ({ playwright, baseURL }) => {
    const token = await tokenFor(ACCOUNTS.exec);
    const api = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${token}` },
    });
    const response = await api.get("/api/v1/program");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { durationDays: number; today: number; milestones: { key: string }[] };
    expect(body.durationDays).toBe(90);
    expect(body.today).toBe(41);
    expect(body.milestones.map((m) => m.key)).toEqual([
      "inventory",
      "risk-assessment",
      "access-review",
      "peer-review",
      "ai-change-controls",
      "rollback",
      "documentation",
      "final-signoff",
    ]);
    await api.dispose();
  });

  test("refuses anonymous, bad-token and header-forging callers with a 401 problem", async ({
    playwright,
    baseURL,
  }) => {
    const cases: Record<string, string>[] = [
      {},
      { Authorization: "Bearer rb_not-a-real-token-at-all-0000000000000000000000" },
      { Authorization: "Basic bGVhZDpwYXNzd29yZA==" },
      { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy", "x-forwarded-for": "127.0.0.1" },
      { "x-middleware-subrequest": "src/middleware:middleware:middleware:middleware:middleware" },
      { "x-forwarded-host": "localhost", "x-forwarded-proto": "https", "x-real-ip": "10.0.0.1" },
    ];
    for (const headers of cases) {
      const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: headers });
      const response = await api.get("/api/v1/program");
      expect(response.status(), JSON.stringify(headers)).toBe(401);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
      expect(await response.json()).toMatchObject({ status: 401, title: "Sign-in required" });
      await api.dispose();
    }
  });

  test("a page requested with forged proxy headers still needs a session", async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
    });
    const response = await api.get("/admin/users", { maxRedirects: 0 });
    expect([302, 303, 307, 308]).toContain(response.status());
    expect(response.headers().location).toContain("/signin");
    await api.dispose();
  });
});

test("every response carries the security headers", async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  for (const path of ["/signin", "/api/health"]) {
    const headers = (await api.get(path)).headers();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["strict-transport-security"]).toContain("max-age=");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    const csp = headers["content-security-policy"] ?? "";
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
  }
  await api.dispose();
});

test("deactivating a user ends their session and their tokens at the next request", async ({ browser, baseURL }) => {
  // Two sessions, a sign-in and an edit drawer: more than the default 30 s on a shared machine.
  test.slow();
  // The lead creates the person through the admin page.
  const leadContext = await browser.newContext({ baseURL, storageState: storageState("lead") });
  const admin = await leadContext.newPage();
  await admin.goto("/admin/users");
  const email = `leaver-${Date.now()}@resetboard.dev`;
  const addForm = admin.locator("section", { has: admin.getByRole("heading", { name: "Add a user" }) });
  await addForm.getByLabel("Email").fill(email);
  await addForm.getByLabel("Name").fill("Lee Ver");
  await addForm.getByLabel(/^Password/).fill("a long enough password");
  await addForm.getByRole("button", { name: "Add user" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `Added Lee Ver (${email})` })).toBeVisible();

  // The new person signs in and creates a token in their settings.
  const leaverContext = await browser.newContext({ baseURL });
  const page = await leaverContext.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.goto("/settings");
  await page.getByLabel("Token name (what uses it)").fill("laptop script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("Your new token (shown once)").inputValue();
  expect(token).toMatch(/^rb_/);
  const api = await leaverContext.request;
  expect((await api.get("/api/v1/program", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);
  expect((await api.get("/api/v1/program")).status()).toBe(200); // the browser session

  // The lead deactivates them.
  // People are one searchable table; a person is edited, and deactivated, in a drawer.
  await admin.reload();
  await admin.getByLabel("Search people").fill(email);
  await admin.getByRole("button", { name: "Edit Lee Ver" }).click();
  await admin.getByRole("dialog", { name: "Edit Lee Ver" }).getByRole("button", { name: "Deactivate Lee Ver" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Lee Ver is deactivated and signed out." })).toBeVisible();

  // Their very next requests fail: the page, the session on the API, and the token.
  await page.goto("/systems");
  await expect(page).toHaveURL(/\/signin/);
  expect((await api.get("/api/v1/program")).status()).toBe(401);
  expect((await api.get("/api/v1/program", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
  await leaverContext.close();
  await leadContext.close();
});

test("the 21st failed sign-in within a minute is refused with 429, while another account still signs in", async ({
  playwright,
  baseURL,
}) => {
  const attacker = await playwright.request.newContext({ baseURL });
  const victim = `victim-${Date.now()}@resetboard.dev`;
  for (let attempt = 1; attempt <= 20; attempt++) {
    const response = await signInOverHttp(attacker, victim, `guess-${attempt}`);
    expect(response.status(), `attempt ${attempt}`).toBe(401);
  }
  const refused = await signInOverHttp(attacker, victim, "guess-21");
  expect(refused.status()).toBe(429);
  expect(refused.headers()["retry-after"]).toMatch(/^\d+$/);
  expect(await refused.json()).toMatchObject({
    status: 429,
    detail: expect.stringMatching(/Too many failed sign-ins for this account\. Try again in \d+ seconds\./),
  });

  const other = await playwright.request.newContext({ baseURL });
  const ok = await signInOverHttp(other, ACCOUNTS.reviewer, DEMO_PASSWORD);
  expect(ok.status()).toBe(200);
  expect((await other.get("/api/v1/program")).status()).toBe(200);

  const recorded = await withDb(async (client) => {
    const { rows } = await client.query<{ action: string; n: string }>(
      "SELECT action, count(*) AS n FROM audit_event WHERE subject_id = $1 GROUP BY action ORDER BY action",
      [victim],
    );
    return rows.map((r) => `${r.action}:${r.n}`);
  });
  expect(recorded).toEqual(["auth.sign_in_failed:20", "auth.sign_in_refused:1"]);
  await attacker.dispose();
  await other.dispose();
});
