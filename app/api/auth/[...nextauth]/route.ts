// next-auth's endpoints. Sign-in attempts beyond the limit answer 429 with a clear message
// instead of next-auth's generic error redirect.
import NextAuth from "next-auth";
import { authOptions, type SignInRateLimited } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context) {
  let limited: SignInRateLimited | undefined;
  const options = authOptions({ onRateLimited: (refusal) => (limited = refusal) });
  // next-auth's route-handler overload takes (request, context, options); its types only
  // describe the pages-router form.
  const response = (await (NextAuth as unknown as (r: Request, c: Context, o: typeof options) => Promise<Response>)(
    request,
    context,
    options,
  )) as Response;
  if (limited) {
    return Response.json(
      { type: "about:blank", title: "Too many sign-in attempts", status: 429, detail: limited.message },
      {
        status: 429,
        headers: { "Retry-After": String(limited.retryAfterSeconds), "Content-Type": "application/problem+json" },
      },
    );
  }
  return response;
}

export { handler as GET, handler as POST };
