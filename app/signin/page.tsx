import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ShieldCheck } from "lucide-react";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { getSessionUser } from "@/lib/auth/session";
import { oidcConfig } from "@/lib/env";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  NoAccount: "Your single sign-on account has no Resetboard access. Ask a program lead to add you.",
  OAuthSignin: "Single sign-on could not start. Try again, or use your password.",
  OAuthCallback: "Single sign-on did not complete. Try again.",
  AccessDenied: "Access was denied.",
  SessionRequired: "Please sign in to continue.",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? (ERRORS[params.error] ?? "Sign-in failed. Try again.") : null;
  const oidc = oidcConfig();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="surface border-base w-full max-w-sm rounded-xl border p-6 shadow-sm">
        <div className="mb-5 flex items-center gap-2">
          <ShieldCheck aria-hidden className="size-6" style={{ color: "var(--color-status-approved)" }} />
          <h1 className="text-lg font-semibold tracking-tight">Sign in to Resetboard</h1>
        </div>
        {error ? (
          <p role="alert" className="mb-3 text-sm" style={{ color: "var(--color-health-overdue)" }}>
            {error}
          </p>
        ) : null}
        <SignInForm callbackUrl={callbackUrl} oidcName={oidc?.name} />
      </div>
    </main>
  );
}
