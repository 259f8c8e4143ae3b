"use server";
// The system page's workflow actions. Each is a public POST endpoint: it reads the session
// itself; the lib/data command validates, authorizes, decides and audits.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { addEvidence, grantWaiver, reviewCheckpoint, revokeWaiver, submitCheckpoint, withdrawEvidence } from "@/lib/data/checkpoints";

const text = (form: FormData, key: string) => formText(form, key) ?? "";
const version = (form: FormData) => Number(text(form, "version")) || undefined;
const target = (form: FormData) => ({ key: text(form, "systemKey"), milestone: text(form, "milestone") });

async function act(form: FormData, run: (key: string, milestone: string) => Promise<unknown>, message: string): Promise<ActionResult> {
  try {
    const { key, milestone } = target(form);
    await run(key, milestone);
    revalidatePath(`/systems/${key}`);
    return { ok: true, message };
  } catch (error) {
    return actionError(error);
  }
}

export async function addEvidenceAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(
    form,
    async (key, milestone) =>
      addEvidence(await actor(), key, milestone, {
        url: text(form, "url"),
        title: text(form, "title"),
        kind: text(form, "kind"),
        note: text(form, "note"),
        version: version(form),
      }),
    "Evidence added.",
  );
}

export async function withdrawEvidenceAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(form, async (key, milestone) => withdrawEvidence(await actor(), key, milestone, text(form, "evidenceId"), { version: version(form) }), "Evidence withdrawn.");
}

export async function submitAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(form, async (key, milestone) => submitCheckpoint(await actor(), key, milestone, { version: version(form) }), "Submitted for review.");
}

export async function reviewAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const decision = text(form, "decision");
  return act(
    form,
    async (key, milestone) => reviewCheckpoint(await actor(), key, milestone, { decision, comment: text(form, "comment"), version: version(form) }),
    decision === "APPROVE" ? "Approved." : "Changes requested.",
  );
}

export async function waiveAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(
    form,
    async (key, milestone) => grantWaiver(await actor(), key, milestone, { reason: text(form, "reason"), expiresOn: text(form, "expiresOn"), version: version(form) }),
    "Checkpoint waived.",
  );
}

export async function revokeWaiverAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(
    form,
    async (key, milestone) => revokeWaiver(await actor(), key, milestone, { reason: text(form, "reason"), version: version(form) }),
    "Waiver revoked.",
  );
}
