// The request id every response carries as X-Request-Id: the caller's own when it is short and
// plain enough to log safely (so a trace spans a load balancer and the app), otherwise a new one.
// No Node imports: proxy.ts uses this too.

export function saneRequestId(value: string | null | undefined): string | null {
  return value && /^[A-Za-z0-9._:-]{8,128}$/.test(value) ? value : null;
}

export function requestIdFor(incoming: string | null | undefined): string {
  return saneRequestId(incoming) ?? crypto.randomUUID();
}
