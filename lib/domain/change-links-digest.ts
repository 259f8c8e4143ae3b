// The digest a change review freezes of the links it approved (docs/RULES.md, rule 16): comparing
// it with the change's links later proves what exactly the reviewer saw.
import { createHash } from "node:crypto";

/** sha256 hex of [url, rollbackPlanUrl, docsUrl] as JSON: position-sensitive, nulls kept. */
export function changeLinksDigest(links: {
  url: string;
  rollbackPlanUrl: string | null;
  docsUrl: string | null;
}): string {
  return createHash("sha256")
    .update(JSON.stringify([links.url, links.rollbackPlanUrl, links.docsUrl]))
    .digest("hex");
}
