"use client";
// The create and edit form of a system. Inputs are controlled, so a refused save (validation,
// a duplicate key, a stale edit) keeps everything the lead typed; the server's per-field
// messages appear under their fields.
import { useActionState, useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormErrors, focusFirstProblem } from "@/components/ui/form-state";
import { useSuccessToast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/action-result";

export interface SystemFormValues {
  key: string;
  name: string;
  team: string;
  tier: "TIER_0" | "TIER_1" | "TIER_2";
  aiAssisted: boolean;
  description: string;
  repoUrl: string;
  runbookUrl: string;
  updatedAt?: string;
}

type SystemAction = (
  previous: ActionResult<{ key: string; updatedAt?: string }> | null,
  form: FormData,
) => Promise<ActionResult<{ key: string; updatedAt?: string }>>;

const TIERS = [
  ["TIER_0", "Tier 0 — most critical"],
  ["TIER_1", "Tier 1"],
  ["TIER_2", "Tier 2"],
] as const;

const SYSTEM_FIELDS = {
  key: { label: "Key", id: "system-key" },
  name: { label: "Name", id: "system-name" },
  team: { label: "Team", id: "system-team" },
  tier: { label: "Tier", id: "system-tier" },
  repoUrl: { label: "Repository URL", id: "system-repo" },
  runbookUrl: { label: "Runbook URL", id: "system-runbook" },
  description: { label: "Description", id: "system-description" },
};

export function SystemForm({
  mode,
  initial,
  teams,
  action,
}: {
  mode: "create" | "edit";
  initial: SystemFormValues;
  teams: string[];
  action: SystemAction;
}) {
  const [values, setValues] = useState(initial);
  // After a save, later saves must name the version it produced, even if a later one is refused.
  const [savedAt, setSavedAt] = useState(initial.updatedAt);
  const toast = useSuccessToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [result, dispatch, pending] = useActionState(async (previous: Parameters<SystemAction>[0], form: FormData) => {
    const outcome = await action(previous, form);
    if (outcome.ok && outcome.data?.updatedAt) setSavedAt(outcome.data.updatedAt);
    if (outcome.ok && outcome.message) toast(outcome.message);
    return outcome;
  }, null);
  const [, startTransition] = useTransition();
  const router = useRouter();
  const errors = result && !result.ok ? result.errors : undefined;
  useEffect(() => {
    if (result && !result.ok) focusFirstProblem(formRef.current);
  }, [result]);

  useEffect(() => {
    if (mode === "create" && result?.ok && result.data) router.push(`/systems/${result.data.key}`);
  }, [result, mode, router]);

  const set =
    <K extends keyof SystemFormValues>(field: K) =>
    (value: SystemFormValues[K]) =>
      setValues((v) => ({ ...v, [field]: value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    // Not a form action: React would reset the form after it, and a refused save must keep the input.
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      className="space-y-4"
      aria-label={mode === "create" ? "New system" : `Edit ${initial.name}`}
    >
      {mode === "edit" ? (
        <>
          <input type="hidden" name="key" value={values.key} />
          <input type="hidden" name="expectedUpdatedAt" value={savedAt ?? ""} />
        </>
      ) : null}
      <FormErrors state={{ result, errors: errors ?? {} }} fields={SYSTEM_FIELDS} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Key (lower-case letters, digits, hyphens)"
          name="key"
          id="system-key"
          value={values.key}
          onChange={(e) => set("key")(e.target.value)}
          disabled={mode === "edit"}
          required
          maxLength={63}
          autoComplete="off"
          spellCheck={false}
          className="border-base mt-1 block w-full rounded-md border bg-transparent px-2.5 py-1.5 font-mono text-sm disabled:opacity-70"
          errors={errors?.key}
        />
        <TextField
          label="Name"
          name="name"
          id="system-name"
          value={values.name}
          onChange={(e) => set("name")(e.target.value)}
          required
          maxLength={200}
          errors={errors?.name}
        />
        <div>
          <TextField
            label="Team"
            name="team"
            id="system-team"
            value={values.team}
            onChange={(e) => set("team")(e.target.value)}
            required
            maxLength={100}
            list="system-teams"
            errors={errors?.team}
          />
          <datalist id="system-teams">
            {teams.map((team) => (
              <option key={team} value={team} />
            ))}
          </datalist>
        </div>
        <SelectField
          label="Tier"
          name="tier"
          id="system-tier"
          value={values.tier}
          onChange={(e) => set("tier")(e.target.value as SystemFormValues["tier"])}
          errors={errors?.tier}
        >
          {TIERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Repository URL (optional, https://…)"
          name="repoUrl"
          id="system-repo"
          type="url"
          value={values.repoUrl}
          onChange={(e) => set("repoUrl")(e.target.value)}
          errors={errors?.repoUrl}
        />
        <TextField
          label="Runbook URL (optional, https://…)"
          name="runbookUrl"
          id="system-runbook"
          type="url"
          value={values.runbookUrl}
          onChange={(e) => set("runbookUrl")(e.target.value)}
          errors={errors?.runbookUrl}
        />
      </div>
      <div>
        <label htmlFor="system-description" className="block text-xs font-medium text-muted">
          Description (optional)
        </label>
        <textarea
          id="system-description"
          name="description"
          rows={3}
          maxLength={2000}
          value={values.description}
          onChange={(e) => set("description")(e.target.value)}
          aria-invalid={errors?.description ? true : undefined}
          aria-describedby={errors?.description ? "system-description-error" : undefined}
          className="border-base mt-1 block w-full rounded-md border bg-transparent px-2.5 py-1.5 text-sm"
        />
        {errors?.description ? (
          <p id="system-description-error" className="mt-1 text-xs" style={{ color: "var(--color-health-overdue)" }}>
            {errors.description.join(" ")}
          </p>
        ) : null}
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="aiAssisted"
          checked={values.aiAssisted}
          onChange={(e) => set("aiAssisted")(e.target.checked)}
          className="size-4"
        />
        Ships AI-assisted changes (every sign-off then needs a senior reviewer)
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Create system" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
