"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { markAllReadAction, markReadAction } from "./actions";

export function MarkRead({ id, title }: { id: string; title: string }) {
  const [result, action, pending] = useActionState(markReadAction, null);
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <Button type="submit" disabled={pending} aria-label={`Mark “${title}” read`}>
        Mark read
      </Button>
      <FormMessage result={result && !result.ok ? result : null} />
    </form>
  );
}

export function MarkAllRead({ disabled }: { disabled: boolean }) {
  const [result, action, pending] = useActionState(markAllReadAction, null);
  return (
    <form action={action}>
      <Button type="submit" variant="primary" disabled={disabled || pending}>
        Mark all read
      </Button>
      <FormMessage result={result} />
    </form>
  );
}
