"use server";
// The change gate's forms. Each is a public POST endpoint: formAction reads the session itself;
// the lib/data command validates, authorizes, decides and audits.
import { formText } from "@/lib/action-result";
import { registerChange, reviewChange, updateChange } from "@/lib/data/change-commands";
import { formAction } from "@/lib/form-action";

const text = (form: FormData, key: string) => formText(form, key) ?? "";
const link = (form: FormData, key: string) => text(form, key).trim() || null;

export const registerChangeAction = formAction({
  input: (form) => ({
    system: text(form, "system").trim(),
    title: text(form, "title"),
    url: text(form, "url").trim(),
    aiAssisted: form.get("aiAssisted") === "on",
    rollbackPlanUrl: link(form, "rollbackPlanUrl"),
    docsUrl: link(form, "docsUrl"),
    coAuthors: text(form, "coAuthors")
      .split(/[\s,]+/)
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  }),
  run: registerChange,
  revalidate: ["/changes"],
  success: (change) => ({
    message: `Change registered: ${change.decision.allowed ? "allowed" : "blocked until it is reviewed"}.`,
    data: { id: change.id },
  }),
  echoValues: false,
});

export const reviewChangeAction = formAction({
  input: (form) => ({
    id: text(form, "changeId"),
    review: {
      decision: text(form, "decision"),
      comment: text(form, "comment"),
      revision: Number(text(form, "revision")) || undefined,
    },
  }),
  run: (actor, { id, review }) => reviewChange(actor, id, review),
  revalidate: (_, { id }) => [`/changes/${id}`, "/changes"],
  success: (_, { input }) => (input.review.decision === "APPROVE" ? "Approved." : "Changes requested."),
  echoValues: false,
});

export const updateChangeAction = formAction({
  input: (form) => ({
    id: text(form, "changeId"),
    links: {
      version: Number(text(form, "version")),
      url: text(form, "url").trim(),
      rollbackPlanUrl: link(form, "rollbackPlanUrl"),
      docsUrl: link(form, "docsUrl"),
    },
  }),
  run: (actor, { id, links }) => updateChange(actor, id, links),
  revalidate: (_, { id }) => [`/changes/${id}`],
  success: () => "Links saved.",
  echoValues: false,
});
