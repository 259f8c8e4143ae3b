// The two outbound channels: e-mail over SMTP (nodemailer) and team chat webhooks (fetch). Each
// send either resolves (delivered) or throws with a message the outbox records for the lead.
import { createHmac } from "node:crypto";
import { lookup } from "node:dns/promises";
import net from "node:net";
import nodemailer from "nodemailer";
import type { EmailPayload } from "@/lib/notifications/render";

export const SIGNATURE_HEADER = "X-Resetboard-Signature";
export const DELIVERY_HEADER = "X-Resetboard-Delivery";

export interface Channels {
  /** Null when e-mail is off (no SMTP_URL). */
  email: ((deliveryId: string, payload: EmailPayload) => Promise<void>) | null;
  webhook: (
    deliveryId: string,
    target: { url: string; format: "SLACK" | "GENERIC"; secret: string | null },
    body: unknown,
  ) => Promise<void>;
  close(): void;
}

/**
 * RFC 2369's List-Unsubscribe with the one-click URL first and the settings page second, and
 * RFC 8058's List-Unsubscribe-Post, which tells mail providers the first URL takes a POST.
 */
export function unsubscribeHeaders(payload: Pick<EmailPayload, "unsubscribe" | "oneClick">): Record<string, string> {
  if (!payload.oneClick) return { "List-Unsubscribe": `<${payload.unsubscribe}>` };
  return {
    "List-Unsubscribe": `<${payload.oneClick}>, <${payload.unsubscribe}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

/** sha256=<hex HMAC of the exact body bytes>, the form the receiver recomputes to verify. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Loopback, private, link-local, carrier-grade NAT and unspecified addresses (rule 12). */
export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const [a, b] = address.split(".").map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const lower = address.toLowerCase();
  if (lower.startsWith("::ffff:")) return isPrivateAddress(lower.slice(7));
  return (
    lower === "::" ||
    lower === "::1" ||
    lower.startsWith("fc") ||
    lower.startsWith("fd") ||
    lower.startsWith("fe8") ||
    lower.startsWith("fe9") ||
    lower.startsWith("fea") ||
    lower.startsWith("feb")
  );
}

async function refusePrivateTarget(url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  if (addresses.some(isPrivateAddress)) throw new Error(`Refused: ${host} resolves to a private or loopback address`);
}

export function createChannels(options: {
  smtpUrl: string | null;
  mailFrom: string;
  allowPrivateWebhooks: boolean;
  timeoutMs?: number;
}): Channels {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl, {
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      })
    : null;
  return {
    email: transport
      ? async (deliveryId, payload) => {
          await transport.sendMail({
            from: options.mailFrom,
            to: payload.to,
            subject: payload.subject,
            text: payload.text,
            html: payload.html,
            // The delivery's id as the Message-ID: if a crash ever repeats a send, mail systems
            // see the same message twice and can drop the copy.
            messageId: `<${deliveryId}@resetboard>`,
            headers: unsubscribeHeaders(payload),
          });
        }
      : null,
    async webhook(deliveryId, target, body) {
      if (!options.allowPrivateWebhooks) await refusePrivateTarget(target.url);
      const text = JSON.stringify(body);
      const headers: Record<string, string> = { "Content-Type": "application/json", [DELIVERY_HEADER]: deliveryId };
      if (target.format === "GENERIC" && target.secret) headers[SIGNATURE_HEADER] = signBody(target.secret, text);
      const response = await fetch(target.url, {
        method: "POST",
        headers,
        body: text,
        redirect: "error",
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`The webhook answered ${response.status} ${response.statusText}`.trim());
    },
    close() {
      transport?.close();
    },
  };
}
