// Next calls register() once when a server process starts, before it answers requests. In the
// Node.js runtime it records each connection's real address for the per-IP limits, and starts the
// notification workers inside the app process (no extra service to deploy) — never while
// `next build` prerenders, and not when NOTIFICATION_WORKERS=false. NEXT_RUNTIME and NEXT_PHASE
// are set by Next itself, which is why they are read here rather than through lib/env.ts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHeader } = await import("@/lib/auth/peer-address");
  installPeerAddressHeader();
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { notificationConfig } = await import("@/lib/env");
  if (!notificationConfig().workers) return;
  const { startNotificationRuntime } = await import("@/lib/notifications/runtime");
  try {
    await startNotificationRuntime();
  } catch (error) {
    // The app still serves, and the outbox keeps every notification until a worker runs.
    console.error("[notifications] the workers did not start; notifications wait in the outbox", error);
  }
}
