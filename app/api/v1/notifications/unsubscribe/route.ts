// One-click unsubscribe (RFC 8058). Public by design: the signed token in the link is the
// credential, so a mail provider's POST needs no session. GET only shows what the link would turn
// off, with a button that POSTs: mail scanners follow links and must not unsubscribe anyone.
import { problemFromError } from "@/lib/api/problem";
import { describeUnsubscribe, unsubscribeOneClick, type UnsubscribeDto } from "@/lib/data/unsubscribe";
import { ValidationError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** The RFC's body is one short field; anything longer is not a one-click request. */
const MAX_BODY_BYTES = 2048;

const query = (request: Request) => ({ token: new URL(request.url).searchParams.get("token") ?? undefined });

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );
}

function page(title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${escapeHtml(title)} · Resetboard</title><meta name="robots" content="noindex"></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5"><main><h1 style="font-size:1.25rem">${escapeHtml(title)}</h1>${body}<p><a href="/settings#notifications">All notification settings</a></p></main></body></html>`;
  return new Response(html, {
    status: 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}

const eventList = (d: UnsubscribeDto) => `<ul>${d.events.map((e) => `<li>${escapeHtml(e.label)}</li>`).join("")}</ul>`;

export async function GET(request: Request): Promise<Response> {
  try {
    const found = await describeUnsubscribe(query(request));
    const action = `${new URL(request.url).pathname}${new URL(request.url).search}`;
    const alreadyOff = found.events.every((e) => !e.email);
    return page(
      "Stop these e-mails?",
      `<p>${escapeHtml(found.name)}, this turns off e-mail for:</p>${eventList(found)}` +
        (alreadyOff ? "<p>They are already off.</p>" : "") +
        `<p>Notifications in Resetboard itself stay as they are. Nothing changes until you press the button.</p>` +
        `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="font:inherit;padding:.4rem .9rem">Stop these e-mails</button></form>`,
    );
  } catch (error) {
    return problemFromError(error);
  }
}

async function formBody(request: Request): Promise<Record<string, string>> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES)
    throw new ValidationError(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type === "multipart/form-data") {
    const form = await new Response(text, { headers: { "Content-Type": request.headers.get("content-type")! } })
      .formData()
      .catch(() => {
        throw new ValidationError("The form body could not be read.");
      });
    return Object.fromEntries([...form.entries()].flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export async function POST(request: Request): Promise<Response> {
  try {
    const result = await unsubscribeOneClick(query(request), await formBody(request));
    // A mail provider wants a 200; a person who pressed the button wants to read what happened.
    if (request.headers.get("accept")?.includes("text/html"))
      return page(
        "You will no longer get these e-mails",
        `<p>${escapeHtml(result.name)}, e-mail is now off for:</p>${eventList(result)}<p>You can turn it on again under Settings → Notifications.</p>`,
      );
    return Response.json(result, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return problemFromError(error);
  }
}
