// Production mode's start-up check: one line per missing or bad variable.
import { describe, expect, it } from "vitest";
import { productionConfigProblems } from "@/lib/env";

const good = {
  DATABASE_URL: "postgresql://app:pw@db.internal:5432/resetboard",
  NEXTAUTH_SECRET: "s".repeat(40),
  NEXTAUTH_URL: "https://resetboard.example.com",
  NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

describe("productionConfigProblems", () => {
  it("accepts a complete configuration", () => {
    expect(productionConfigProblems(good)).toEqual([]);
  });

  it("names every missing variable on its own line", () => {
    const problems = productionConfigProblems({});
    expect(problems.some((p) => p.startsWith("NEXTAUTH_SECRET"))).toBe(true);
    expect(problems.some((p) => p.startsWith("DATABASE_URL is missing"))).toBe(true);
    expect(problems.some((p) => p.startsWith("NEXTAUTH_URL is missing"))).toBe(true);
    expect(problems.some((p) => p.startsWith("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY is missing"))).toBe(true);
    expect(problems.every((p) => !p.includes("\n"))).toBe(true);
  });

  it("refuses bad values with a reason", () => {
    const problems = productionConfigProblems({
      ...good,
      DATABASE_URL: "mysql://x",
      NEXTAUTH_SECRET: "short",
      NEXTAUTH_URL: "resetboard.example.com",
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: "not-a-key",
      METRICS_TOKEN: "abc",
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL .*postgres/),
        expect.stringMatching(/^NEXTAUTH_SECRET is too short/),
        expect.stringMatching(/^NEXTAUTH_URL must be an absolute/),
        expect.stringMatching(/^NEXT_SERVER_ACTIONS_ENCRYPTION_KEY must be the base64/),
        expect.stringMatching(/^METRICS_TOKEN must be at least 16/),
      ]),
    );
  });

  it("wants single sign-on and mail configured completely or not at all", () => {
    const problems = productionConfigProblems({
      ...good,
      OIDC_ISSUER: "https://sso.example",
      SMTP_URL: "smtp://mail:25",
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^OIDC_CLIENT_ID is missing/),
        expect.stringMatching(/^OIDC_CLIENT_SECRET is missing/),
        expect.stringMatching(/^MAIL_FROM is missing/),
      ]),
    );
    expect(
      productionConfigProblems({ ...good, SMTP_URL: "smtp://mail:25", MAIL_FROM: "Resetboard <noreply@example.com>" }),
    ).toEqual([]);
  });
});
