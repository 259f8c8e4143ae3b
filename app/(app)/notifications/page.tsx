import type { Metadata } from "next";
import Link from "next/link";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { listNotifications } from "@/lib/data/notifications";
import { getActiveProgram } from "@/lib/data/program";
import { MarkAllRead, MarkRead } from "./mark-read";

export const metadata: Metadata = { title: "Notifications" };

/** Times on the program's clock (docs/RULES.md, section 2), named after it. */
const clock = (timeZone: string) =>
  new Intl.DateTimeFormat("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone });

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<{ unread?: string }> }) {
  const user = await requirePageUser();
  const timeZone = (await getActiveProgram())?.timeZone ?? "UTC";
  const when = clock(timeZone);
  const unreadOnly = (await searchParams).unread === "true";
  const { items, unread } = await listNotifications(actorOf(user), {
    unread: unreadOnly ? "true" : undefined,
    limit: 200,
  });
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Notifications</h1>
          <p className="text-sm text-muted">{unread === 0 ? "You are all caught up." : `${unread} unread.`}</p>
        </div>
        <div className="flex items-center gap-3 text-sm">
          <Link href={unreadOnly ? "/notifications" : "/notifications?unread=true"} className="underline">
            {unreadOnly ? "Show all" : "Show unread only"}
          </Link>
          <MarkAllRead disabled={unread === 0} />
        </div>
      </div>
      {items.length === 0 ? (
        <p className="surface border-base rounded-lg border p-6 text-sm text-muted">
          {unreadOnly
            ? "No unread notifications."
            : "No notifications yet. You are told here when something needs you: a review to give, a checkpoint at risk, a decision on your work."}
        </p>
      ) : (
        <ul
          aria-label="Notifications"
          className="surface border-base divide-y divide-[var(--border)] rounded-lg border"
        >
          {items.map((n) => (
            <li key={n.id} className="flex items-start justify-between gap-3 p-3">
              <div className="min-w-0">
                <p className="text-sm">
                  {n.readAt === null ? (
                    <span className="mr-2 rounded bg-[var(--color-status-submitted)] px-1.5 py-0.5 text-xs font-medium text-[var(--on-accent)]">
                      Unread
                    </span>
                  ) : null}
                  <Link href={n.url} className={`hover:underline ${n.readAt === null ? "font-medium" : ""}`}>
                    {n.title}
                  </Link>
                </p>
                <p className="text-sm text-muted">{n.body}</p>
                <p className="text-xs text-muted tabular-nums">
                  <time dateTime={n.createdAt}>
                    {when.format(new Date(n.createdAt))} {timeZone.replaceAll("_", " ")}
                  </time>
                </p>
              </div>
              {n.readAt === null ? <MarkRead id={n.id} title={n.title} /> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
