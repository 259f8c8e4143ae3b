"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import { createWebhookAction, deactivateWebhookAction, retryDeliveryAction } from "./actions";

export function WebhookForm({ teams }: { teams: string[] }) {
  const [result, action, pending] = useActionState(createWebhookAction, null);
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <form action={action} className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Team" name="team" errors={errors?.team} required>
          {teams.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </SelectField>
        <SelectField label="Format" name="format" errors={errors?.format}>
          <option value="SLACK">Slack incoming webhook</option>
          <option value="GENERIC">Generic JSON, signed (HMAC-SHA256)</option>
        </SelectField>
        <TextField
          label="Webhook URL"
          name="url"
          type="url"
          required
          placeholder="https://hooks.slack.com/services/…"
          errors={errors?.url}
        />
        <TextField
          label="Signing secret (generic JSON only, 16+ characters)"
          name="secret"
          autoComplete="off"
          errors={errors?.secret}
        />
      </div>
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Adding…" : "Add webhook"}
      </Button>
      <FormMessage result={result} />
    </form>
  );
}

export function TurnOff({ id, label }: { id: string; label: string }) {
  const [result, action, pending] = useActionState(deactivateWebhookAction, null);
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="danger" disabled={pending} aria-label={`Turn off the webhook for ${label}`}>
        Turn off
      </Button>
      <FormMessage result={result && !result.ok ? result : null} />
    </form>
  );
}

export function Retry({ id, label }: { id: string; label: string }) {
  const [result, action, pending] = useActionState(retryDeliveryAction, null);
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <Button type="submit" disabled={pending || result?.ok} aria-label={`Retry the delivery to ${label}`}>
        {result?.ok ? "Queued" : "Retry"}
      </Button>
      <FormMessage result={result && !result.ok ? result : null} />
    </form>
  );
}
