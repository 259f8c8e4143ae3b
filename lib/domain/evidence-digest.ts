// The digest a review freezes of the evidence set it signed off (docs/RULES.md, section 3):
// comparing it with the current set later proves whether the approval still covers what is there.
import { createHash } from "node:crypto";

/**
 * sha256 hex of the evidence ids, lower-cased, de-duplicated and sorted, joined by "\n".
 * Order-independent on purpose: the same set must give the same digest however it was loaded.
 */
export function evidenceDigest(ids: readonly string[]): string {
  const sorted = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
  return createHash("sha256").update(sorted.join("\n")).digest("hex");
}
