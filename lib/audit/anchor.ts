// Audit anchors: the chain's head — sequence, hash, time —
// signed with a key the database never sees (HMAC-SHA256 with AUDIT_ANCHOR_KEY), kept outside
// the database. Someone with superuser rights can cut or recompute the tail of the chain so that
// it still verifies on its own; they cannot make it contain a head that was anchored before.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { canonicalJson, type StoredEvent } from "@/lib/audit/chain";

export interface AuditAnchor {
  kind: "resetboard-audit-anchor";
  version: 1;
  seq: string;
  hash: string;
  /** When the head event was written. */
  at: string;
  /** When the anchor was made. */
  anchoredAt: string;
  /** Names the key (a digest prefix, not the key) so a rotated key is told apart. */
  keyId: string;
  signature: string;
}

export type AnchorCheck =
  | { ok: true; seq: bigint }
  | { ok: false; reason: "bad-signature" | "malformed" | "missing" | "different" | "broken-chain"; message: string };

export function keyId(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

function sign(body: Omit<AuditAnchor, "signature">, key: string): string {
  return createHmac("sha256", key)
    .update(canonicalJson({ ...body }))
    .digest("hex");
}

export function createAnchor(
  head: { seq: bigint; hash: string; at: Date },
  key: string,
  now = new Date(),
): AuditAnchor {
  const body = {
    kind: "resetboard-audit-anchor" as const,
    version: 1 as const,
    seq: head.seq.toString(),
    hash: head.hash,
    at: head.at.toISOString(),
    anchoredAt: now.toISOString(),
    keyId: keyId(key),
  };
  return { ...body, signature: sign(body, key) };
}

/** Parses and checks the signature; a tampered or foreign anchor proves nothing. */
export function readAnchor(
  text: string,
  key: string,
): { ok: true; anchor: AuditAnchor } | Extract<AnchorCheck, { ok: false }> {
  let value: AuditAnchor;
  try {
    value = JSON.parse(text) as AuditAnchor;
  } catch {
    return { ok: false, reason: "malformed", message: "The anchor file is not JSON." };
  }
  if (
    value?.kind !== "resetboard-audit-anchor" ||
    value.version !== 1 ||
    !/^\d+$/.test(String(value.seq)) ||
    !/^[0-9a-f]{64}$/.test(String(value.hash)) ||
    typeof value.signature !== "string"
  ) {
    return { ok: false, reason: "malformed", message: "The file is not a Resetboard audit anchor." };
  }
  const { signature, ...body } = value;
  const expected = Buffer.from(sign(body, key), "hex");
  const given = Buffer.from(signature, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      reason: "bad-signature",
      message:
        value.keyId === keyId(key)
          ? "The anchor's signature does not match: the file was altered."
          : `The anchor was signed with another key (key id ${value.keyId}, configured ${keyId(key)}).`,
    };
  }
  return { ok: true, anchor: value };
}

/**
 * The chain (already verified from genesis to its head) must still hold the anchored event with
 * the anchored hash: a cut tail lacks it, a recomputed tail gives it a different hash.
 */
export function checkAnchor(
  anchor: AuditAnchor,
  event: Pick<StoredEvent, "seq" | "hash"> | null,
  chainOk: boolean,
  brokenAt?: bigint,
): AnchorCheck {
  if (!chainOk)
    return { ok: false, reason: "broken-chain", message: `The audit chain itself is broken at event #${brokenAt}.` };
  if (!event)
    return {
      ok: false,
      reason: "missing",
      message: `Event #${anchor.seq} is no longer in the chain (anchored ${anchor.anchoredAt}): the trail was cut.`,
    };
  if (event.hash !== anchor.hash)
    return {
      ok: false,
      reason: "different",
      message: `Event #${anchor.seq} no longer has the anchored hash: the chain was rewritten from there or earlier.`,
    };
  return { ok: true, seq: event.seq };
}
