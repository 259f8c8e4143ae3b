import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { getActiveProgram } from "@/lib/data/program";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Resetboard", template: "%s · Resetboard" },
  description: "Run a 90-day code safety reset across your critical systems.",
};

// Every page reads live program data (and soon the session): nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const program = await getActiveProgram();
  return (
    <html lang="en">
      <body className="antialiased">
        <AppShell program={program}>{children}</AppShell>
      </body>
    </html>
  );
}
