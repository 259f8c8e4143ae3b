import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "./cross-site";

const form = { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example", host: "app.test" };

describe("cross-site writes riding on the session cookie", () => {
  it("refuses a form post from another site to the JSON API", () => {
    const refusal = crossSiteRefusal({
      method: "POST",
      pathname: "/api/v1/notifications/read",
      headers: new Headers(form),
      hasSessionCookie: true,
    });
    expect(refusal?.status).toBe(403);
  });

  it("lets the one-click unsubscribe form through: its token, not the cookie, is the credential", () => {
    for (const origin of ["https://evil.example", "http://app.test"])
      expect(
        crossSiteRefusal({
          method: "POST",
          pathname: "/api/v1/notifications/unsubscribe",
          headers: new Headers({ ...form, origin }),
          hasSessionCookie: true,
        }),
      ).toBeNull();
  });
});
