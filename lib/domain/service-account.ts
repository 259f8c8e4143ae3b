// Service accounts (docs/RULES.md, rule 16) are app_user rows with an address in a reserved domain
// (RFC 2606 `.invalid`, which no person's mailbox or identity provider can have). Recognising one
// from the email costs no query, so every API request can refuse them outside the change gate.

export const SERVICE_ACCOUNT_EMAIL_DOMAIN = "service-account.invalid";

export function isServiceAccountEmail(email: string): boolean {
  return email.toLowerCase().endsWith(`@${SERVICE_ACCOUNT_EMAIL_DOMAIN}`);
}

/** The address of a new service account's user row: a slug of its name and a random suffix. */
export function serviceAccountEmail(name: string, suffix: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "pipeline";
  return `${slug}-${suffix}@${SERVICE_ACCOUNT_EMAIL_DOMAIN}`;
}
