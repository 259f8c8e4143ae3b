"use client";
// Create a pipeline's service account (its token shown once) and revoke one.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage, TextField } from "@/components/ui/field";
import { createServiceAccountAction, revokeServiceAccountAction } from "./actions";

export function CreateServiceAccountForm() {
  const [result, action, pending] = useActionState(createServiceAccountAction, null);
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <form action={action} className="space-y-3" aria-labelledby="create-sa-title">
      <h2 id="create-sa-title" className="font-medium">
        New service account
      </h2>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          label="Name"
          name="name"
          id="sa-name"
          required
          maxLength={100}
          placeholder="payments deploy pipeline"
          errors={errors?.name}
        />
        <TextField label="Systems (keys, comma-separated)" name="systems" id="sa-systems" errors={errors?.systems} />
        <TextField label="Teams (comma-separated)" name="teams" id="sa-teams" errors={errors?.teams} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Creating…" : "Create service account"}
        </Button>
        <FormMessage result={result} />
      </div>
      {result?.ok && result.data ? (
        <p className="text-sm">
          Token:{" "}
          <code className="break-all rounded bg-[var(--surface-muted)] px-1 font-mono text-xs">
            {result.data.token}
          </code>
        </p>
      ) : null}
    </form>
  );
}

export function RevokeServiceAccountButton({ id, name }: { id: string; name: string }) {
  const [result, action, pending] = useActionState(revokeServiceAccountAction, null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="danger" disabled={pending} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
      <FormMessage result={result} />
    </form>
  );
}
