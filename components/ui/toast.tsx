"use client";
// Confirmations of what just happened. They live in the app layout, not in the form that
// caused them, because a successful action often removes its own form (a submitted checkpoint
// no longer offers "Submit"). Focus moves to the newest message so that keyboard and
// screen-reader users hear it; it stays until dismissed, never timing out on a slow reader.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { CheckCircle2, X } from "lucide-react";

interface Toast {
  id: number;
  message: string;
}

const ToastContext = createContext<((message: string) => void) | null>(null);

/** Show a success message; outside a provider (a page without the app layout) it does nothing. */
export function useSuccessToast(): (message: string) => void {
  return useContext(ToastContext) ?? noop;
}
const noop = () => {};

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const newest = useRef<HTMLDivElement>(null);
  const show = useCallback((message: string) => {
    next.current += 1;
    const id = next.current;
    // At most three at a time: older confirmations have been read or are out of date.
    setToasts((list) => [...list.slice(-2), { id, message }]);
  }, []);
  const dismiss = (id: number) => setToasts((list) => list.filter((t) => t.id !== id));
  const last = toasts.at(-1)?.id;
  useEffect(() => {
    if (last !== undefined) newest.current?.focus();
  }, [last]);

  return (
    <ToastContext.Provider value={show}>
      {children}
      <div
        aria-live="polite"
        className="pointer-events-none fixed inset-x-3 bottom-3 z-50 flex flex-col items-end gap-2 print:hidden sm:left-auto sm:right-4 sm:w-[26rem]"
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            ref={toast.id === last ? newest : undefined}
            tabIndex={-1}
            role="status"
            className="toast-success pointer-events-auto flex w-full items-start gap-2 rounded-lg border px-3 py-2.5 text-sm shadow-lg"
          >
            <CheckCircle2 aria-hidden className="mt-0.5 size-4 shrink-0" />
            <p className="min-w-0 flex-1 break-words">{toast.message}</p>
            <button
              type="button"
              onClick={() => dismiss(toast.id)}
              className="-m-1 rounded p-1 hover:bg-[var(--surface-muted)]"
              aria-label="Dismiss this message"
            >
              <X aria-hidden className="size-4" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
