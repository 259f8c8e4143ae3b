// Structured JSON logs (pino), one line per event: `logger("scope")` gives a child logger whose
// lines carry the scope and, inside a request, its request id. Secrets never reach a line:
// passwords, tokens, cookies and authorization headers are censored wherever they appear, and
// URLs lose their query string (evidence links may carry signed-URL credentials).
import pino, { type DestinationStream, type Logger } from "pino";
import { env } from "@/lib/env";
import { currentRequest } from "@/lib/observability/request-context";

const SECRET_KEYS = [
  "password",
  "passwordHash",
  "token",
  "tokenHash",
  "secret",
  "authorization",
  "cookie",
  "set-cookie",
  "x-metrics-token",
];
const URL_KEYS = ["url", "href", "callbackUrl", "rollbackPlanUrl", "docsUrl", "incidentUrl", "repoUrl", "runbookUrl"];

/** Every path the censor watches: at the top level and up to two objects deep. */
const REDACT_PATHS = [...SECRET_KEYS, ...URL_KEYS].flatMap((key) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const joined = k.startsWith("[") ? k : `.${k}`;
  return [k, `*${joined}`, `*.*${joined}`];
});

/** A URL without its query string and fragment; anything unparsable is dropped entirely. */
export function withoutQuery(value: unknown): string {
  if (typeof value !== "string") return "[redacted]";
  const cut = value.search(/[?#]/);
  return cut === -1 ? value : `${value.slice(0, cut)}?[redacted]`;
}

function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1] ?? "";
  return URL_KEYS.includes(key) ? withoutQuery(value) : "[redacted]";
}

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** The root logger; `destination` lets a test read what would be written. */
export function createRootLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "resetboard" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor },
      // The request id rides on every line written while a request is being handled.
      mixin() {
        const request = currentRequest();
        return request ? { requestId: request.requestId } : {};
      },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination,
  );
}

function configuredLevel(): LogLevel {
  // lib/env.ts is the one reader of process.env; a logger must still work when the environment
  // is invalid (that is exactly when it has something to say), so it falls back to "info".
  try {
    return env().LOG_LEVEL;
  } catch {
    return "info";
  }
}

const holder = globalThis as unknown as { resetboardLogger?: Logger };

function root(): Logger {
  return (holder.resetboardLogger ??= createRootLogger(configuredLevel()));
}

/** A logger for one part of the app: `const log = logger("api")`. */
export function logger(scope: string): Logger {
  return root().child({ scope });
}
