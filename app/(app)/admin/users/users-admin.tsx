"use client";
// The forms of the users admin; the page (a server component) passes the data in.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ROLE_LABEL, SENIORITY_LABEL } from "@/lib/labels";
import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import { FormErrors, useFormAction } from "@/components/ui/form-state";
import { createUserAction, revokeAnyTokenAction, transferAssignmentsAction } from "./actions";

const ROLES = Object.entries(ROLE_LABEL);
const SENIORITIES = Object.entries(SENIORITY_LABEL);

const ADD_FIELDS = {
  email: { label: "Email", id: "field-email" },
  name: { label: "Name", id: "field-name" },
  role: { label: "Role", id: "field-role" },
  seniority: { label: "Seniority", id: "field-seniority" },
  password: { label: "Password", id: "field-password" },
};

export function AddUserForm() {
  const form = useFormAction(createUserAction);
  const { errors, value } = form;
  return (
    <form
      key={form.formKey}
      id={form.formId}
      action={form.action}
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end"
    >
      <div className="sm:col-span-2 lg:col-span-6 empty:hidden">
        <FormErrors state={form} fields={ADD_FIELDS} />
      </div>
      <TextField
        label="Email"
        name="email"
        type="email"
        required
        defaultValue={value("email")}
        errors={errors?.email}
      />
      <TextField label="Name" name="name" required defaultValue={value("name")} errors={errors?.name} />
      <SelectField label="Role" name="role" defaultValue={value("role", "ENGINEER")} errors={errors?.role}>
        {ROLES.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Seniority"
        name="seniority"
        defaultValue={value("seniority", "MID")}
        errors={errors?.seniority}
      >
        {SENIORITIES.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Password (blank: single sign-on only)"
        name="password"
        type="password"
        autoComplete="new-password"
        errors={errors?.password}
      />
      <Button type="submit" variant="primary" disabled={form.pending}>
        {form.pending ? "Adding…" : "Add user"}
      </Button>
    </form>
  );
}

export function TransferForm({
  users,
}: {
  users: { id: string; name: string; email: string; active: boolean; assignments: number }[];
}) {
  const form = useFormAction(transferAssignmentsAction);
  const { result, pending, errors } = form;
  return (
    <form key={form.formKey} id={form.formId} action={form.action} className="space-y-3">
      <FormErrors
        state={form}
        fields={{
          fromUserId: { label: "Person who leaves", id: "field-fromUserId" },
          toUserId: { label: "Takes over", id: "field-toUserId" },
        }}
      />
      <div className="grid gap-3 sm:grid-cols-3 sm:items-end">
        <SelectField
          label="Person who leaves"
          name="fromUserId"
          required
          defaultValue={form.value("fromUserId")}
          errors={errors?.fromUserId}
        >
          <option value="" disabled>
            Choose…
          </option>
          {users
            .filter((u) => u.assignments > 0)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.assignments} assignments)
              </option>
            ))}
        </SelectField>
        <SelectField
          label="Takes over"
          name="toUserId"
          required
          defaultValue={form.value("toUserId")}
          errors={errors?.toUserId}
        >
          <option value="" disabled>
            Choose…
          </option>
          {users
            .filter((u) => u.active)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
        </SelectField>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Transferring…" : "Transfer all assignments"}
        </Button>
      </div>
      {result?.ok && result.data?.skipped.length ? (
        <ul className="list-disc pl-5 text-sm text-muted">
          {result.data.skipped.map((s) => (
            <li key={s.systemKey}>
              <span className="font-mono">{s.systemKey}</span>: {s.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}

export function RevokeTokenButton({ tokenId, label }: { tokenId: string; label: string }) {
  const [result, action, pending] = useActionState(revokeAnyTokenAction, null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="tokenId" value={tokenId} />
      <Button type="submit" variant="danger" disabled={pending} aria-label={`Revoke ${label}`}>
        Revoke
      </Button>
      <FormMessage result={result && !result.ok ? result : null} />
    </form>
  );
}
