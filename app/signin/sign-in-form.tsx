"use client";
// The credentials form. It talks to next-auth's endpoints directly (rather than through
// signIn()) so that the 429 of the brute-force limit reaches the user as a readable message.
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { signInWith } from "@/lib/auth/browser";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";

export function SignInForm({ callbackUrl, oidcName }: { callbackUrl?: string; oidcName?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const target = safeRedirectPath(callbackUrl);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    try {
      const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await fetch("/api/auth/callback/credentials", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          email: String(form.get("email") ?? ""),
          password: String(form.get("password") ?? ""),
          csrfToken,
          callbackUrl: target,
          json: "true",
        }),
      });
      if (response.status === 429) {
        const problem = (await response.json()) as { detail?: string };
        setError(problem.detail ?? "Too many failed sign-ins. Wait a minute and try again.");
        return;
      }
      const { url } = (await response.json()) as { url?: string };
      if (!response.ok || !url || new URL(url, window.location.href).searchParams.has("error")) {
        setError("Wrong email or password, or the account is deactivated.");
        return;
      }
      router.replace(target);
      router.refresh();
    } catch {
      setError("Sign-in is unavailable right now. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-3" noValidate>
        <div>
          <label htmlFor="email" className="block text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            className="border-base mt-1 w-full rounded-md border bg-transparent px-3 py-2 text-sm"
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="border-base mt-1 w-full rounded-md border bg-transparent px-3 py-2 text-sm"
          />
        </div>
        {error ? (
          <p role="alert" className="text-sm" style={{ color: "var(--color-health-overdue)" }}>
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded-md px-3 py-2 text-sm font-semibold text-white disabled:opacity-60"
          style={{ background: "var(--color-status-submitted)" }}
        >
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidcName ? (
        <>
          <div className="flex items-center gap-2 text-xs text-muted">
            <span className="h-px flex-1 bg-[var(--border)]" />
            or
            <span className="h-px flex-1 bg-[var(--border)]" />
          </div>
          <button
            type="button"
            onClick={() => void signInWith("oidc", target)}
            className="border-base w-full rounded-md border px-3 py-2 text-sm font-medium hover:bg-[var(--surface-muted)]"
          >
            Sign in with {oidcName}
          </button>
        </>
      ) : null}
    </div>
  );
}
