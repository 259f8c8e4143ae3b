"use client";
// Channels per event, and (for a person's own preferences) how e-mail arrives. Used on Settings
// for oneself and under Admin for the defaults a lead sets.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage, SelectField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";

interface EventRow {
  event: string;
  label: string;
  inApp: boolean;
  email: boolean;
}

export function NotificationPreferencesForm({
  events,
  settings,
  emailOn,
  save,
  submitLabel,
  timeZone = "UTC",
}: {
  events: EventRow[];
  /** The program's time zone, the clock the digest hour is read on. */
  timeZone?: string;
  settings?: { mode: string; digestHour: number; quietWeekends: boolean };
  emailOn: boolean;
  save: (previous: ActionResult | null, form: FormData) => Promise<ActionResult>;
  submitLabel: string;
}) {
  const [result, action, pending] = useActionState(save, null);
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <form action={action} className="space-y-4">
      {emailOn ? null : (
        <p className="text-sm text-muted">
          E-mail is off on this installation (no SMTP server is configured); in-app notifications still arrive.
        </p>
      )}
      <table className="w-full text-sm">
        <caption className="sr-only">Channels for each kind of notification</caption>
        <thead>
          <tr className="text-left text-xs text-muted">
            <th className="py-1 font-medium">Notification</th>
            <th className="py-1 text-center font-medium">In the app</th>
            <th className="py-1 text-center font-medium">E-mail</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.event} className="border-base border-t">
              <th scope="row" className="py-1.5 text-left font-normal">
                {e.label}
              </th>
              <td className="py-1.5 text-center">
                <input
                  type="checkbox"
                  name={`inApp.${e.event}`}
                  defaultChecked={e.inApp}
                  aria-label={`${e.label}: in the app`}
                />
              </td>
              <td className="py-1.5 text-center">
                <input
                  type="checkbox"
                  name={`email.${e.event}`}
                  defaultChecked={e.email}
                  aria-label={`${e.label}: e-mail`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {settings ? (
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField label="E-mail arrives" name="emailMode" defaultValue={settings.mode} errors={errors?.emailMode}>
            <option value="IMMEDIATE">At once</option>
            <option value="DAILY_DIGEST">In a daily digest</option>
          </SelectField>
          <SelectField
            label={`Digest hour (${timeZone.replaceAll("_", " ")})`}
            name="digestHour"
            defaultValue={String(settings.digestHour)}
            errors={errors?.digestHour}
          >
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={h}>
                {String(h).padStart(2, "0")}:00
              </option>
            ))}
          </SelectField>
          <label className="flex items-center gap-2 self-end pb-1.5 text-sm">
            <input type="checkbox" name="quietWeekends" defaultChecked={settings.quietWeekends} />
            Quiet weekends (hold e-mail until Monday)
          </label>
        </div>
      ) : null}
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
      <FormMessage result={result} />
    </form>
  );
}
