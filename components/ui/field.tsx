import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const control = "border-base mt-1 block w-full rounded-md border bg-transparent px-2.5 py-1.5 text-sm";

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-xs" style={{ color: "var(--color-health-overdue)" }}>
      {errors.join(" ")}
    </p>
  );
}

/** A labelled input with its validation messages tied to it (aria-describedby). */
export function TextField({
  label,
  name,
  errors,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; errors?: string[] }) {
  const id = props.id ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-muted">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
        className={control}
        {...props}
      />
      <Errors id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function SelectField({
  label,
  name,
  errors,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string; errors?: string[]; children: ReactNode }) {
  const id = props.id ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-muted">
        {label}
      </label>
      <select
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
        className={control}
        {...props}
      >
        {children}
      </select>
      <Errors id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function TextAreaField({
  label,
  name,
  errors,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; errors?: string[] }) {
  const id = props.id ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-muted">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
        className={control}
        {...props}
      />
      <Errors id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** The outcome of a form's last submission, announced to screen readers. */
export function FormMessage({ result }: { result: { ok: boolean; message?: string } | null }) {
  if (!result?.message) return null;
  return (
    <p
      role={result.ok ? "status" : "alert"}
      className="text-sm"
      style={{ color: result.ok ? "var(--color-status-approved)" : "var(--color-health-overdue)" }}
    >
      {result.message}
    </p>
  );
}
