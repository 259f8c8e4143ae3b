// The JSON log lines: secrets censored wherever they sit, URLs without their query string, and
// the request id on every line written inside a request.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createRootLogger, withoutQuery } from "@/lib/log";
import { requestContextStorage } from "@/lib/observability/request-context";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createRootLogger("info", stream) };
}

describe("the logger", () => {
  it("writes one JSON object per line with level, time, scope and message", () => {
    const { lines, log } = capture();
    log.child({ scope: "test" }).info({ systemKey: "billing" }, "hello");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      scope: "test",
      systemKey: "billing",
      msg: "hello",
      service: "resetboard",
    });
    expect(typeof lines[0]!.time).toBe("string");
  });

  it("never writes passwords, tokens, cookies or authorization headers, at any depth up to three", () => {
    const { lines, log } = capture();
    log.info(
      {
        password: "hunter2-top",
        token: "rb_secret_token",
        user: { email: "a@example.com", passwordHash: "$argon2id$abc" },
        req: { headers: { cookie: "next-auth.session-token=abc", authorization: "Bearer rb_xyz" } },
      },
      "sign-in",
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ["hunter2-top", "rb_secret_token", "$argon2id$abc", "session-token=abc", "rb_xyz"])
      expect(text).not.toContain(secret);
    expect(text).toContain("a@example.com");
  });

  it("keeps a URL's path and drops its query string and fragment", () => {
    const { lines, log } = capture();
    log.info(
      { evidence: { url: "https://s3.example/doc.pdf?X-Amz-Signature=deadbeef#p2", title: "Runbook" } },
      "evidence added",
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain("deadbeef");
    expect((lines[0]!.evidence as { url: string }).url).toBe("https://s3.example/doc.pdf?[redacted]");
    expect(withoutQuery("https://a.example/x")).toBe("https://a.example/x");
  });

  it("adds the request id to every line written while a request is handled", () => {
    const { lines, log } = capture();
    requestContextStorage.run({ requestId: "req-12345678", directLoopback: false }, () => log.info("inside"));
    log.info("outside");
    expect(lines[0]!.requestId).toBe("req-12345678");
    expect(lines[1]!.requestId).toBeUndefined();
  });
});
