"use client";
// The form under a checkpoint's discussion, with "@" autocomplete among the people who have access
// to the system. The textarea stays a textbox (the role a textarea may have) and drives a listbox
// through aria-controls and aria-activedescendant: arrows move, Enter or Tab picks, Escape closes.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { FormErrors, useFormAction } from "@/components/ui/form-state";
import { COMMENT_MAX_LENGTH, mentionQueryAt, mentionSuggestions, type MentionCandidate } from "@/lib/domain/mentions";
import { postCommentAction } from "./comment-actions";

interface Props {
  systemKey: string;
  milestone: string;
  milestoneName: string;
  audience: MentionCandidate[];
}

export function CommentForm({ systemKey, milestone, milestoneName, audience }: Props) {
  const form = useFormAction(postCommentAction);
  const id = `comment-${milestone}`;
  const fields = { body: { label: "Comment", id: `${id}-body` } };
  return (
    <form
      key={form.formKey}
      id={form.formId}
      action={form.action}
      className="mt-2 space-y-2"
      aria-label={`Comment on ${milestoneName}`}
    >
      <input type="hidden" name="systemKey" value={systemKey} />
      <input type="hidden" name="milestone" value={milestone} />
      <FormErrors state={form} fields={fields} />
      <MentionTextarea
        id={fields.body.id}
        label={fields.body.label}
        initial={form.value("body")}
        errors={form.errors.body}
        audience={audience}
      />
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Posting…" : "Post comment"}
      </Button>
    </form>
  );
}

function MentionTextarea({
  id,
  label,
  initial,
  errors,
  audience,
}: {
  id: string;
  label: string;
  initial: string;
  errors?: string[];
  audience: MentionCandidate[];
}) {
  const [value, setValue] = useState(initial);
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  // Text typed before the page hydrated is in the textarea but not in the state, and the next
  // render would put the state back: adopt it once hydrated, so nothing typed is lost.
  useEffect(() => {
    const typed = ref.current?.value;
    if (typed !== undefined && typed !== initial) setValue(typed);
  }, [initial]);
  const hintId = `${id}-hint`;
  const suggestions = query ? mentionSuggestions(query.query, audience) : [];
  const open = suggestions.length > 0;
  const optionId = (i: number) => `${listId}-option-${i}`;

  const track = (text: string, caret: number) => {
    const next = mentionQueryAt(text, caret);
    setQuery(next);
    if (next?.query !== query?.query) setActive(0);
  };

  const pick = (person: MentionCandidate) => {
    const textarea = ref.current;
    if (!textarea || !query) return;
    const caret = textarea.selectionStart;
    const inserted = `@${person.name} `;
    const next = value.slice(0, query.start) + inserted + value.slice(caret);
    const at = query.start + inserted.length;
    // The text and the caret change together, now: React finds the textarea already holding the
    // new value and leaves it alone. Placing the caret a frame later moved it back over whatever
    // was typed in between, so a fast typist's next letters landed in the wrong place.
    textarea.value = next;
    textarea.focus();
    textarea.setSelectionRange(at, at);
    setValue(next);
    setQuery(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i + step + suggestions.length) % suggestions.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      pick(suggestions[Math.min(active, suggestions.length - 1)]!);
    } else if (event.key === "Escape") {
      event.preventDefault();
      setQuery(null);
    }
  };

  const describedBy = [hintId, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="relative">
      <label htmlFor={id} className="block text-xs font-medium text-muted">
        {label}
      </label>
      <textarea
        ref={ref}
        id={id}
        name="body"
        rows={3}
        required
        maxLength={COMMENT_MAX_LENGTH}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          track(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onClick={(e) => track(e.currentTarget.value, e.currentTarget.selectionStart)}
        onBlur={() => setQuery(null)}
        aria-autocomplete="list"
        aria-controls={listId}
        aria-activedescendant={open ? optionId(Math.min(active, suggestions.length - 1)) : undefined}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        className="border-base mt-1 block w-full rounded-md border bg-transparent px-2.5 py-1.5 text-sm"
      />
      <p id={hintId} className="mt-1 text-xs text-muted">
        Type @ and a name to notify one of the system&apos;s owners, reviewers or the program&apos;s leads. Comments
        cannot be edited or deleted.
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label="People to mention"
        hidden={!open}
        className="surface border-base absolute left-0 z-10 mt-1 max-h-56 w-full max-w-xs overflow-auto rounded-md border py-1 text-sm shadow"
      >
        {suggestions.map((person, i) => (
          <li
            key={person.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            // mousedown, not click: the textarea must not lose focus (and close the list) first.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(person);
            }}
            className={`cursor-pointer px-3 py-1 ${i === active ? "bg-[var(--surface-muted)] font-medium" : ""}`}
          >
            {person.name}
          </li>
        ))}
      </ul>
      <p className="sr-only" role="status" aria-live="polite">
        {open
          ? `${suggestions.length} ${suggestions.length === 1 ? "person" : "people"} to mention; use the arrow keys and Enter.`
          : ""}
      </p>
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1 text-xs" style={{ color: "var(--color-health-overdue)" }}>
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
