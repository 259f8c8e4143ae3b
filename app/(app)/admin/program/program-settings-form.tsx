"use client";
// The program settings form: the program and every milestone in one document, saved at once
// against the version it was loaded at. Submitted by hand (not through the form's `action`) so
// that React does not reset the fields: a refused save — invalid, or stale — keeps what was typed.
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import type { ProgramSettingsDto } from "@/lib/data/program-settings";
import { formatDay } from "@/lib/format";
import { saveProgramSettingsAction } from "./actions";

const SENIORITY = [
  ["JUNIOR", "Junior"],
  ["MID", "Mid"],
  ["SENIOR", "Senior"],
  ["PRINCIPAL", "Principal"],
] as const;

/** start + days as an ISO day, or "" while either is not a valid value. */
function dueOn(startsOn: string, dueDay: string): string {
  const start = new Date(`${startsOn}T00:00:00Z`);
  const days = Number(dueDay);
  if (Number.isNaN(start.getTime()) || dueDay.trim() === "" || !Number.isInteger(days)) return "";
  return new Date(start.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

export function ProgramSettingsForm({ settings, timeZones }: { settings: ProgramSettingsDto; timeZones: string[] }) {
  const [result, action, pending] = useActionState(saveProgramSettingsAction, null);
  // Only for the live "due on" previews; the inputs themselves stay uncontrolled.
  const [startsOn, setStartsOn] = useState(settings.startsOn);
  const [dueDays, setDueDays] = useState(() => settings.milestones.map((m) => String(m.dueDay)));
  const errors = result && !result.ok ? result.errors : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => action(form));
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-label="Program settings">
      <input type="hidden" name="version" value={settings.version} />

      <section aria-labelledby="program-heading" className="surface border-base rounded-lg border p-4">
        <h2 id="program-heading" className="mb-3 font-medium">
          Program
        </h2>
        <div className="grid gap-3 sm:grid-cols-[1fr_12rem]">
          <TextField
            id="program-name"
            label="Program name"
            name="name"
            defaultValue={settings.name}
            required
            maxLength={200}
            errors={errors?.name}
          />
          <TextField
            id="program-starts-on"
            label="Start date"
            name="startsOn"
            type="date"
            defaultValue={settings.startsOn}
            required
            onChange={(e) => setStartsOn(e.currentTarget.value)}
            errors={errors?.startsOn}
          />
        </div>
        <p className="mt-2 text-xs text-muted">
          Lasts <span className="tabular-nums">{settings.durationDays}</span> days, to{" "}
          {formatDay(dueOn(startsOn, String(settings.durationDays)))}. Moving the start moves every checkpoint&apos;s
          due date except those a lead overrode.
        </p>
        <div className="mt-3 max-w-sm">
          <SelectField
            id="program-time-zone"
            label="Time zone"
            name="timeZone"
            defaultValue={settings.timeZone}
            aria-describedby={`program-time-zone-hint${errors?.timeZone?.length ? " program-time-zone-error" : ""}`}
            errors={errors?.timeZone}
          >
            {(timeZones.includes(settings.timeZone) ? timeZones : [settings.timeZone, ...timeZones]).map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </SelectField>
          <p id="program-time-zone-hint" className="mt-1 text-xs text-muted">
            The program&apos;s clock: the weekly executive summary goes out on Monday at 08:00 here, and daily digests
            at each person&apos;s chosen hour here.
          </p>
        </div>
      </section>

      <section aria-labelledby="milestones-heading" className="space-y-3">
        <h2 id="milestones-heading" className="font-medium">
          Milestones
        </h2>
        <ol className="space-y-3">
          {settings.milestones.map((m, i) => {
            const field = (name: string) => `milestones.${i}.${name}`;
            const id = (name: string) => `ms-${m.key}-${name}`;
            const preview = dueOn(startsOn, dueDays[i] ?? "");
            return (
              <li key={m.key}>
                <fieldset className="surface border-base rounded-lg border p-4">
                  <legend className="sr-only">
                    Milestone {m.sequence}: {m.name}
                  </legend>
                  <div aria-hidden className="mb-3 flex flex-wrap items-baseline gap-x-2">
                    <span className="text-muted tabular-nums">{m.sequence}.</span>
                    <span className="font-medium">{m.name}</span>
                    <span className="font-mono text-xs text-muted">{m.key}</span>
                  </div>
                  <input type="hidden" name={field("key")} value={m.key} />
                  <div className="grid grid-cols-2 gap-3 lg:grid-cols-[1fr_7rem_7rem_10rem]">
                    <div className="col-span-2 lg:col-span-1">
                      <TextField
                        id={id("name")}
                        label="Name"
                        name={field("name")}
                        defaultValue={m.name}
                        required
                        maxLength={200}
                        errors={errors?.[field("name")]}
                      />
                    </div>
                    <div>
                      <TextField
                        id={id("due-day")}
                        label="Due day"
                        name={field("dueDay")}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        max={settings.durationDays}
                        step={1}
                        defaultValue={m.dueDay}
                        required
                        className="border-base mt-1 block w-full rounded-md border bg-transparent px-2.5 py-1.5 text-right text-sm tabular-nums"
                        // The field's own error (when there is one) and the date it makes.
                        aria-describedby={`${id("due-day")}-preview${errors?.[field("dueDay")] ? ` ${id("due-day")}-error` : ""}`}
                        onChange={(e) => {
                          const value = e.currentTarget.value;
                          setDueDays((days) => days.map((d, j) => (j === i ? value : d)));
                        }}
                        errors={errors?.[field("dueDay")]}
                      />
                      <p id={`${id("due-day")}-preview`} className="mt-1 text-xs text-muted tabular-nums">
                        {preview ? `Due ${formatDay(preview)}` : "\u00a0"}
                      </p>
                    </div>
                    <TextField
                      id={id("approvals")}
                      label="Approvals"
                      name={field("requiredApprovals")}
                      type="number"
                      inputMode="numeric"
                      min={1}
                      max={5}
                      step={1}
                      defaultValue={m.requiredApprovals}
                      required
                      className="border-base mt-1 block w-full rounded-md border bg-transparent px-2.5 py-1.5 text-right text-sm tabular-nums"
                      errors={errors?.[field("requiredApprovals")]}
                    />
                    <div className="col-span-2 lg:col-span-1">
                      <SelectField
                        id={id("seniority")}
                        label="Minimum reviewer"
                        name={field("minReviewerSeniority")}
                        defaultValue={m.minReviewerSeniority}
                        errors={errors?.[field("minReviewerSeniority")]}
                      >
                        {SENIORITY.map(([value, label]) => (
                          <option key={value} value={value}>
                            {label}
                          </option>
                        ))}
                      </SelectField>
                    </div>
                  </div>
                  <div className="mt-3 grid gap-3 md:grid-cols-2">
                    <TextAreaField
                      id={id("description")}
                      label="Description"
                      name={field("description")}
                      defaultValue={m.description}
                      rows={3}
                      maxLength={2000}
                      errors={errors?.[field("description")]}
                    />
                    <TextAreaField
                      id={id("hint")}
                      label="Evidence hint (what good evidence looks like)"
                      name={field("evidenceHint")}
                      defaultValue={m.evidenceHint}
                      rows={3}
                      maxLength={2000}
                      errors={errors?.[field("evidenceHint")]}
                    />
                  </div>
                  {m.overriddenCheckpoints > 0 ? (
                    <p className="mt-2 text-xs text-muted">
                      <span className="tabular-nums">{m.overriddenCheckpoints}</span> checkpoint
                      {m.overriddenCheckpoints === 1 ? " has" : "s have"} an overridden due date, which a new due day
                      leaves as set.
                    </p>
                  ) : null}
                </fieldset>
              </li>
            );
          })}
        </ol>
      </section>

      <div className="surface border-base sticky bottom-0 flex flex-wrap items-center gap-3 rounded-lg border p-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Saving…" : "Save program settings"}
        </Button>
        <div id="settings-result">
          <FormMessage result={result} />
        </div>
      </div>
    </form>
  );
}
