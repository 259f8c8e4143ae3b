"use client";
// An e-mail input that suggests people as the user types (GET /api/v1/people), for pickers over
// a fleet whose people would be too many to ship with the page. It stays a plain input: the form
// works, and submits what was typed, before any script has loaded or when the lookup fails.
import { useEffect, useId, useRef, useState, type InputHTMLAttributes } from "react";
import type { PersonOption } from "@/lib/data/people-search";

/** Quiet time after a keystroke before asking, so typing a name costs one request or two. */
const DEBOUNCE_MS = 150;

export function PersonField(props: Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "list">) {
  const listId = useId();
  const [options, setOptions] = useState<PersonOption[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const inFlight = useRef<AbortController>(undefined);

  const suggest = (typed: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      inFlight.current?.abort();
      const request = new AbortController();
      inFlight.current = request;
      try {
        const response = await fetch(`/api/v1/people?q=${encodeURIComponent(typed.trim())}`, {
          signal: request.signal,
        });
        if (response.ok) setOptions(((await response.json()) as { items: PersonOption[] }).items);
      } catch {
        // Superseded by the next keystroke, or offline: the last suggestions stay.
      }
    }, DEBOUNCE_MS);
  };

  useEffect(
    () => () => {
      clearTimeout(timer.current);
      inFlight.current?.abort();
    },
    [],
  );

  return (
    <>
      <input
        autoComplete="off"
        {...props}
        type="email"
        list={listId}
        onFocus={(event) => {
          if (options.length === 0) suggest(event.currentTarget.value);
          props.onFocus?.(event);
        }}
        onInput={(event) => {
          suggest(event.currentTarget.value);
          props.onInput?.(event);
        }}
      />
      <datalist id={listId}>
        {options.map((p) => (
          <option key={p.email} value={p.email}>
            {p.name}
          </option>
        ))}
      </datalist>
    </>
  );
}
