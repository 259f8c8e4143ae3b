import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isPrivateAddress, signBody } from "./channels";
import { renderEmail, renderNotification } from "./render";

describe("webhook targets", () => {
  it("refuses loopback, private, link-local and unspecified addresses (rule 12)", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["8.8.8.8", "172.32.0.1", "192.169.0.1", "2606:4700::1111"])
      expect(isPrivateAddress(address), address).toBe(false);
  });

  it("signs the exact body bytes with HMAC-SHA256", () => {
    const body = JSON.stringify({ a: 1 });
    expect(signBody("secret", body)).toBe(`sha256=${createHmac("sha256", "secret").update(body).digest("hex")}`);
    expect(signBody("secret", body)).not.toBe(signBody("other", body));
  });
});

describe("e-mail", () => {
  const n = renderNotification("EVIDENCE_SUBMITTED", {
    systemKey: "pay-api",
    systemName: "Pay <API>",
    milestoneKey: "rollback",
    milestoneName: "Rollback plan tested",
    dueOn: "2026-12-01",
    ownerNames: ["Sam"],
    actorName: "Sam",
  });

  it("links to the exact checkpoint and to the person's preferences", () => {
    const mail = renderEmail({ email: "r@x.dev", name: "Rosa" }, n, "https://reset.example.com/");
    expect(mail.link).toBe("https://reset.example.com/systems/pay-api#cp-rollback");
    expect(mail.unsubscribe).toBe("https://reset.example.com/settings#notifications");
    expect(mail.text).toContain(mail.link);
    expect(mail.html).toContain(`href="${mail.link}"`);
  });

  it("names dates the way people read them, not as ISO days", () => {
    const overdue = renderNotification("OVERDUE", {
      systemKey: "pay-api",
      systemName: "Pay API",
      milestoneKey: "rollback",
      milestoneName: "Rollback plan tested",
      dueOn: "2026-12-01",
      ownerNames: ["Sam"],
      actorName: "",
    });
    expect(overdue.body).toBe("It was due Dec 1, 2026 and is not done.");
  });

  it("escapes names in the HTML part", () => {
    const mail = renderEmail({ email: "r@x.dev", name: "<b>Rosa</b>" }, n, "https://reset.example.com");
    expect(mail.html).toContain("&lt;b&gt;Rosa&lt;/b&gt;");
    expect(mail.html).not.toContain("<b>Rosa");
  });
});
