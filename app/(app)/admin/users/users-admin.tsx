"use client";
// The forms of the users admin; the page (a server component) passes the data in.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import type { UserListItem } from "@/lib/data/users";
import {
  createUserAction,
  revokeAnyTokenAction,
  setUserActiveAction,
  transferAssignmentsAction,
  updateUserAction,
} from "./actions";

const ROLES = [
  ["LEAD", "Program lead"],
  ["ENGINEER", "Engineer"],
  ["EXECUTIVE", "Executive"],
] as const;
const SENIORITIES = [
  ["JUNIOR", "Junior"],
  ["MID", "Mid"],
  ["SENIOR", "Senior"],
  ["PRINCIPAL", "Principal"],
] as const;

export function AddUserForm() {
  const [result, action, pending] = useActionState(createUserAction, null);
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
      <TextField label="Email" name="email" type="email" required errors={errors?.email} />
      <TextField label="Name" name="name" required errors={errors?.name} />
      <SelectField label="Role" name="role" defaultValue="ENGINEER" errors={errors?.role}>
        {ROLES.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Seniority" name="seniority" defaultValue="MID" errors={errors?.seniority}>
        {SENIORITIES.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextField label="Password (blank: single sign-on only)" name="password" type="password" autoComplete="new-password" errors={errors?.password} />
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Adding…" : "Add user"}
      </Button>
      <div className="sm:col-span-2 lg:col-span-6">
        <FormMessage result={result} />
      </div>
    </form>
  );
}

export function UserRow({ user, self }: { user: UserListItem; self: boolean }) {
  const [saved, save, saving] = useActionState(updateUserAction, null);
  const [toggled, toggle, toggling] = useActionState(setUserActiveAction, null);
  const formId = `user-${user.id}`;
  return (
    <tr className="border-base border-b align-top last:border-b-0">
      <td className="px-3 py-2">
        <form id={formId} action={save} />
        <input type="hidden" name="userId" value={user.id} form={formId} />
        <label className="sr-only" htmlFor={`${formId}-name`}>
          Name of {user.email}
        </label>
        <input id={`${formId}-name`} name="name" form={formId} defaultValue={user.name} className="border-base w-44 rounded border bg-transparent px-2 py-1 text-sm" />
        <div className="mt-0.5 text-xs text-muted">{user.email}</div>
      </td>
      <td className="px-3 py-2">
        <label className="sr-only" htmlFor={`${formId}-role`}>
          Role of {user.name}
        </label>
        <select id={`${formId}-role`} name="role" form={formId} defaultValue={user.role} className="border-base rounded border bg-transparent px-1 py-1 text-sm">
          {ROLES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </td>
      <td className="px-3 py-2">
        <label className="sr-only" htmlFor={`${formId}-seniority`}>
          Seniority of {user.name}
        </label>
        <select id={`${formId}-seniority`} name="seniority" form={formId} defaultValue={user.seniority} className="border-base rounded border bg-transparent px-1 py-1 text-sm">
          {SENIORITIES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </td>
      <td className="px-3 py-2 text-right tabular-nums">{user.owns}</td>
      <td className="px-3 py-2 text-right tabular-nums">{user.reviews}</td>
      <td className="px-3 py-2">{user.active ? "Active" : <span className="text-muted">Deactivated</span>}</td>
      <td className="px-3 py-2">
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" form={formId} disabled={saving} aria-label={`Save ${user.name}`}>
            Save
          </Button>
          {self ? null : (
            <form action={toggle}>
              <input type="hidden" name="userId" value={user.id} />
              <input type="hidden" name="active" value={user.active ? "false" : "true"} />
              <Button type="submit" variant={user.active ? "danger" : "secondary"} disabled={toggling} aria-label={`${user.active ? "Deactivate" : "Reactivate"} ${user.name}`}>
                {user.active ? "Deactivate" : "Reactivate"}
              </Button>
            </form>
          )}
        </div>
        <FormMessage result={saved} />
        <FormMessage result={toggled} />
      </td>
    </tr>
  );
}

export function TransferForm({ users }: { users: { id: string; name: string; email: string; active: boolean; assignments: number }[] }) {
  const [result, action, pending] = useActionState(transferAssignmentsAction, null);
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <form action={action} className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-3 sm:items-end">
        <SelectField label="Person who leaves" name="fromUserId" required defaultValue="" errors={errors?.fromUserId}>
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
        <SelectField label="Takes over" name="toUserId" required defaultValue="" errors={errors?.toUserId}>
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
      <FormMessage result={result} />
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
