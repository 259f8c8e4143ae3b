// The words of each notification and the bodies each channel sends, rendered once when the
// notification is made (a retry sends exactly what the first attempt would have).
import { formatDay } from "@/lib/format";
import type { NotificationEvent } from "@/lib/generated/prisma/enums";

export interface NotificationContext {
  systemKey: string;
  systemName: string;
  milestoneKey: string;
  milestoneName: string;
  dueOn: string;
  /** Owners by name, for the lead's escalation. */
  ownerNames: readonly string[];
  actorName: string | null;
  /** The comment a mention is in, quoted (shortened) in the notification. */
  excerpt?: string;
  /** Set for the change gate's events: the notification is about this change, not a checkpoint. */
  change?: { id: string; title: string; aiAssisted: boolean; authorName: string };
}

export interface RenderedNotification {
  title: string;
  body: string;
  /** A path inside the app: the checkpoint's own section of its system page, or the change's page. */
  url: string;
}

export function checkpointPath(systemKey: string, milestoneKey: string): string {
  return `/systems/${encodeURIComponent(systemKey)}#cp-${encodeURIComponent(milestoneKey)}`;
}

/** At most `max` characters of a comment, on one line, for a notification's body. */
export function excerptOf(text: string, max = 280): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

const by = (c: NotificationContext) => (c.actorName ? ` by ${c.actorName}` : "");

export function changePath(changeId: string): string {
  return `/changes/${encodeURIComponent(changeId)}`;
}

export function renderNotification(event: NotificationEvent, c: NotificationContext): RenderedNotification {
  const where = c.change ? `${c.systemName} · ${c.change.title}` : `${c.systemName} · ${c.milestoneName}`;
  const ai = c.change?.aiAssisted ? " AI-assisted" : "";
  const owners = c.ownerNames.length ? c.ownerNames.join(", ") : "no owner assigned";
  const text: Record<NotificationEvent, [string, string]> = {
    EVIDENCE_SUBMITTED: [`Review requested: ${where}`, `Evidence was submitted${by(c)} and you can sign it off.`],
    CHANGES_REQUESTED: [`Changes requested: ${where}`, `A reviewer${by(c)} asked for changes before signing off.`],
    REVIEW_APPROVED: [
      `Approved by a reviewer: ${where}`,
      `An approval was given${by(c)}; more are needed to reach the quorum.`,
    ],
    QUORUM_REACHED: [`Checkpoint approved: ${where}`, `The checkpoint reached its quorum of approvals${by(c)}.`],
    AT_RISK: [`At risk: ${where}`, `Due ${formatDay(c.dueOn)} and not yet submitted.`],
    OVERDUE: [`Overdue: ${where}`, `It was due ${formatDay(c.dueOn)} and is not done.`],
    OVERDUE_ESCALATION: [`Overdue for a week: ${where}`, `It was due ${formatDay(c.dueOn)}. Owners: ${owners}.`],
    REVIEW_WAITING: [`Review waiting: ${where}`, `Submitted more than 3 days ago and waiting for your sign-off.`],
    REVIEW_ESCALATION: [
      `Review waiting for a week: ${where}`,
      `Submitted more than 7 days ago and still not signed off. Owners: ${owners}.`,
    ],
    WAIVER_EXPIRING: [`Waiver expiring: ${where}`, `The waiver you granted ends on ${formatDay(c.dueOn)}.`],
    NO_ELIGIBLE_REVIEWER: [
      `No eligible reviewer: ${where}`,
      `It was submitted, but none of its assigned reviewers can sign it off. Owners: ${owners}.`,
    ],
    MENTION: [
      `${c.actorName ?? "Someone"} mentioned you: ${where}`,
      `${c.actorName ?? "Someone"} wrote in the checkpoint's discussion: “${excerptOf(c.excerpt ?? "")}”`,
    ],
    CHANGE_REVIEW_REQUESTED: [
      `Change review requested: ${where}`,
      `${c.change?.authorName ?? "Someone"} registered a${ai} production change that needs your approval before it may ship.`,
    ],
    CHANGE_ALLOWED: [
      `Change allowed to ship: ${where}`,
      `The gate now allows this production change${by(c) ? `, after the approval${by(c)}` : ""}.`,
    ],
    // Written by the weekly summary's own renderer (renderWeeklySummary); these words are a fallback.
    WEEKLY_SUMMARY: ["Weekly executive summary", "The program's week in figures."],
  };
  const [title, body] = text[event];
  return { title, body, url: c.change ? changePath(c.change.id) : checkpointPath(c.systemKey, c.milestoneKey) };
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );
}

export interface EmailPayload {
  to: string;
  subject: string;
  text: string;
  html: string;
  link: string;
  /** The settings page, where every choice can be made. */
  unsubscribe: string;
  /**
   * The one-click unsubscribe URL (RFC 8058) for this mail's events; absent on mails queued before
   * it existed, and when no NEXTAUTH_SECRET signs the tokens.
   */
  oneClick?: string | null;
}

/** The footer of every mail: the settings page, and the one-click link when there is one. */
function footer(unsubscribe: string, oneClick: string | null | undefined): { text: string; html: string } {
  const stop = oneClick ? `\nStop e-mails like this one: ${oneClick}` : "";
  const stopHtml = oneClick ? ` <a href="${escapeHtml(oneClick)}">Stop e-mails like this one</a>.` : "";
  return {
    text: `\n\n—\nResetboard. Choose what you are sent: ${unsubscribe}${stop}\n`,
    html: `<hr><p style="color:#666;font-size:12px">Resetboard. <a href="${escapeHtml(unsubscribe)}">Choose what you are sent</a>.${stopHtml}</p>`,
  };
}

export function renderEmail(
  to: { email: string; name: string },
  n: RenderedNotification,
  baseUrl: string,
  oneClick: string | null = null,
): EmailPayload {
  const base = baseUrl.replace(/\/$/, "");
  const link = `${base}${n.url}`;
  const linkText = n.url.startsWith("/changes/") ? "Open the change" : "Open the checkpoint";
  const unsubscribe = `${base}/settings#notifications`;
  const end = footer(unsubscribe, oneClick);
  const text = `Hello ${to.name},\n\n${n.body}\n\n${linkText}: ${link}${end.text}`;
  const html =
    `<p>Hello ${escapeHtml(to.name)},</p><p>${escapeHtml(n.body)}</p>` +
    `<p><a href="${escapeHtml(link)}">${escapeHtml(linkText)}</a></p>` +
    end.html;
  return { to: to.email, subject: n.title, text, html, link, unsubscribe, oneClick };
}

export interface WebhookContent {
  event: NotificationEvent;
  systemKey: string;
  /** Empty for a change's event. */
  milestone: string;
  /** A change's event: its id, so a pipeline knows which change may go. */
  changeId?: string;
  title: string;
  text: string;
  url: string;
  at: string;
}

/** Slack's incoming-webhook JSON: `text` for notifications, a section block for the message. */
export function slackBody(c: WebhookContent): Record<string, unknown> {
  const line = `*<${c.url}|${c.title}>*\n${c.text}`;
  return { text: `${c.title}: ${c.url}`, blocks: [{ type: "section", text: { type: "mrkdwn", text: line } }] };
}

export function genericBody(c: WebhookContent): Record<string, unknown> {
  return {
    event: c.event,
    systemKey: c.systemKey,
    milestone: c.milestone || null,
    ...(c.changeId ? { changeId: c.changeId } : {}),
    title: c.title,
    text: c.text,
    url: c.url,
    at: c.at,
  };
}

/** One e-mail for a day's notifications, in the order they were made. */
export function renderDigest(
  to: { email: string; name: string },
  day: string,
  items: readonly RenderedNotification[],
  baseUrl: string,
  oneClick: string | null = null,
): EmailPayload {
  const base = baseUrl.replace(/\/$/, "");
  const unsubscribe = `${base}/settings#notifications`;
  const end = footer(unsubscribe, oneClick);
  const link = `${base}/notifications`;
  const subject = `Resetboard digest for ${day}: ${items.length} notification${items.length === 1 ? "" : "s"}`;
  const text =
    `Hello ${to.name},\n\nWhat needed you on ${day}:\n\n` +
    items.map((n) => `- ${n.title}\n  ${n.body}\n  ${base}${n.url}`).join("\n\n") +
    `\n\nAll notifications: ${link}${end.text}`;
  const html =
    `<p>Hello ${escapeHtml(to.name)},</p><p>What needed you on ${escapeHtml(day)}:</p><ul>` +
    items
      .map((n) => `<li><a href="${escapeHtml(base + n.url)}">${escapeHtml(n.title)}</a><br>${escapeHtml(n.body)}</li>`)
      .join("") +
    `</ul><p><a href="${escapeHtml(link)}">All notifications</a></p>` +
    end.html;
  return { to: to.email, subject, text, html, link, unsubscribe, oneClick };
}

/** What the weekly executive summary says (docs/RULES.md, section 7), gathered by the sweep. */
export interface WeeklySummaryContent {
  programName: string;
  week: string;
  /** The week's Monday, YYYY-MM-DD on the program's calendar. */
  monday: string;
  timeZone: string;
  asOf: Date;
  forecast: { word: string; sentence: string };
  /** This week against the last frozen week; `since` null before any week has finished. */
  since: { week: number; weekEndsOn: string } | null;
  figures: { label: string; now: number; lastWeek: number | null; words: string }[];
  risks: {
    systemName: string;
    systemKey: string;
    milestoneName: string;
    daysLate: number;
    waitingOn: "owners" | "reviewers";
    people: string[];
  }[];
  /** The signed anchor of the audit chain's head, as `audit anchor` prints it; null without AUDIT_ANCHOR_KEY. */
  anchor: { seq: string; line: string } | null;
}

function dueWords(daysLate: number): string {
  if (daysLate > 0) return `${daysLate} day${daysLate === 1 ? "" : "s"} overdue`;
  if (daysLate === 0) return "due today";
  return `due in ${-daysLate} day${daysLate === -1 ? "" : "s"}`;
}

/** The in-app notification's words: the forecast and the headline figures. */
export function renderWeeklySummaryNotification(c: WeeklySummaryContent): RenderedNotification {
  const figures = c.figures.map((f) => `${f.label}: ${f.now.toLocaleString("en-US")} (${f.words})`).join("; ");
  return {
    title: `Weekly summary: ${c.programName}, week of ${c.monday}`,
    body: `${c.forecast.word}. ${c.forecast.sentence} ${figures}.`,
    url: "/report",
  };
}

export function renderWeeklySummary(
  to: { email: string; name: string },
  c: WeeklySummaryContent,
  baseUrl: string,
  oneClick: string | null = null,
): EmailPayload {
  const base = baseUrl.replace(/\/$/, "");
  const link = `${base}/report`;
  const unsubscribe = `${base}/settings#notifications`;
  const end = footer(unsubscribe, oneClick);
  const asOf = new Intl.DateTimeFormat("en-GB", {
    timeZone: c.timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(c.asOf);
  const monday = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "full" }).format(
    new Date(`${c.monday}T00:00:00Z`),
  );
  // The last finished program week, frozen at its end: last week while the program runs, its final
  // week once it is over (as on the report).
  const compared = c.since
    ? `Now against program week ${c.since.week}, as it stood at its end (${c.since.weekEndsOn}):`
    : "No program week has finished yet, so there is no week to compare with:";
  const figure = (f: WeeklySummaryContent["figures"][number]) =>
    f.lastWeek === null || !c.since
      ? `${f.label}: ${f.now.toLocaleString("en-US")}`
      : `${f.label}: ${f.now.toLocaleString("en-US")} (week ${c.since.week}: ${f.lastWeek.toLocaleString("en-US")}; ${f.words})`;
  const risk = (r: WeeklySummaryContent["risks"][number]) =>
    `${r.systemName} (${r.systemKey}), ${r.milestoneName}: ${dueWords(r.daysLate)}, waiting on ${r.waitingOn}${r.people.length ? ` (${r.people.join(", ")})` : ""}`;
  const anchorIntro = c.anchor
    ? `The audit trail's head, event #${c.anchor.seq}, signed with the audit anchor key. Save the next line, exactly as it is, to a file and keep it outside Resetboard; later, \`npm run cli -- audit verify --anchor FILE\` proves that the trail still holds this head, uncut and unrewritten:`
    : "";
  const text =
    `Hello ${to.name},\n\n` +
    `The weekly summary of ${c.programName} for the week of ${monday} (${c.week}), figures as of ${asOf} (${c.timeZone}).\n\n` +
    `${c.forecast.word}. ${c.forecast.sentence}\n\n` +
    `${compared}\n${c.figures.map((f) => `- ${figure(f)}`).join("\n")}\n\n` +
    `Top risks:\n${c.risks.length ? c.risks.map((r) => `- ${risk(r)}`).join("\n") : "- No system is at risk or overdue."}\n\n` +
    `The full report: ${link}` +
    (c.anchor ? `\n\nAudit anchor. ${anchorIntro}\n\n${c.anchor.line}` : "") +
    end.text;
  const html =
    `<p>Hello ${escapeHtml(to.name)},</p>` +
    `<p>The weekly summary of ${escapeHtml(c.programName)} for the week of ${escapeHtml(monday)} (${escapeHtml(c.week)}), figures as of ${escapeHtml(asOf)} (${escapeHtml(c.timeZone)}).</p>` +
    `<p><strong>${escapeHtml(c.forecast.word)}.</strong> ${escapeHtml(c.forecast.sentence)}</p>` +
    `<p>${escapeHtml(compared)}</p><ul>${c.figures.map((f) => `<li>${escapeHtml(figure(f))}</li>`).join("")}</ul>` +
    `<p>Top risks:</p><ul>${c.risks.length ? c.risks.map((r) => `<li>${escapeHtml(risk(r))}</li>`).join("") : "<li>No system is at risk or overdue.</li>"}</ul>` +
    `<p><a href="${escapeHtml(link)}">Open the report</a></p>` +
    (c.anchor
      ? `<p>Audit anchor. ${escapeHtml(anchorIntro)}</p><pre style="white-space:pre-wrap;word-break:break-all">${escapeHtml(c.anchor.line)}</pre>`
      : "") +
    end.html;
  return {
    to: to.email,
    subject: `Weekly summary: ${c.programName}, week of ${c.monday}`,
    text,
    html,
    link,
    unsubscribe,
    oneClick,
  };
}
