"use client";
import { useActionState, useEffect } from "react";
import { signOut } from "@/lib/auth/browser";
import { Button } from "@/components/ui/button";
import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import { createTokenAction, revokeTokenAction, signOutEverywhereAction } from "./actions";

export function CreateTokenForm() {
  const [result, action, pending] = useActionState(createTokenAction, null);
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <form action={action} className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-full max-w-72">
          <TextField label="Token name (what uses it)" name="name" required maxLength={100} errors={errors?.name} />
        </div>
        <div className="w-full max-w-40">
          <SelectField label="Expires" name="expiresInDays" defaultValue="90" errors={errors?.expiresInDays}>
            <option value="7">in 7 days</option>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="366">in a year</option>
            <option value="never">never</option>
          </SelectField>
        </div>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
      </div>
      <FormMessage result={result} />
      {result?.ok && result.data?.token ? (
        <div className="rounded-md border border-[var(--color-status-approved)] p-3">
          <label htmlFor="new-token" className="block text-xs font-medium text-muted">
            Your new token (shown once)
          </label>
          <input
            id="new-token"
            readOnly
            value={result.data.token}
            className="mt-1 w-full bg-transparent font-mono text-sm"
            onFocus={(e) => e.currentTarget.select()}
          />
          <p className="mt-1 text-xs text-muted">
            Send it as <code>Authorization: Bearer {"<token>"}</code>. It acts as you, with your permissions.
          </p>
        </div>
      ) : null}
    </form>
  );
}

export function RevokeOwnToken({ tokenId, name }: { tokenId: string; name: string }) {
  const [result, action, pending] = useActionState(revokeTokenAction, null);
  return (
    <form action={action}>
      <input type="hidden" name="tokenId" value={tokenId} />
      <Button type="submit" variant="danger" disabled={pending} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
      <FormMessage result={result && !result.ok ? result : null} />
    </form>
  );
}

export function SignOutEverywhere() {
  const [result, action, pending] = useActionState(signOutEverywhereAction, null);
  useEffect(() => {
    // The server has ended every session; drop this browser's cookie and go to the sign-in page.
    if (result?.ok) void signOut("/signin");
  }, [result]);
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? "Signing out…" : "Sign out everywhere"}
      </Button>
      <FormMessage result={result && !result.ok ? result : null} />
    </form>
  );
}
