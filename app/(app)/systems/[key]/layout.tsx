// An unknown system answers 404. The page streams behind loading.tsx, and a response that has
// begun streaming can no longer change its status, so the check happens here, before the stream.
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { systemExists } from "@/lib/data/systems";

export default async function SystemLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ key: string }>;
}) {
  const user = await requirePageUser();
  if (!(await systemExists(actorOf(user), (await params).key))) notFound();
  return children;
}
