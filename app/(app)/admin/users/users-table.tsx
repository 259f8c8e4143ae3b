"use client";
// The people of the program as one searchable, paged table (the shared DataTable), and a side
// drawer that edits one person: a form per row made the page 9,000 px tall and hard to scan.
// Every user is sent to the page (a program has tens to a few hundred people), so search,
// sorting and paging are local and instant.
import { useMemo, useRef, useState } from "react";
import { Pencil, Search, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  DataTable,
  DataTableEmpty,
  dataTableColumns,
  type DataTableColumn,
  type SortingState,
} from "@/components/ui/data-table";
import { SelectField, TextField } from "@/components/ui/field";
import { FormErrors, useFormAction } from "@/components/ui/form-state";
import { SENIORITY_ORDER } from "@/lib/domain/checkpoint-workflow";
import { ROLE_LABEL, SENIORITY_LABEL } from "@/lib/labels";
import { setUserActiveAction, updateUserAction } from "./actions";

export interface UserRowData {
  id: string;
  email: string;
  name: string;
  role: keyof typeof ROLE_LABEL;
  seniority: keyof typeof SENIORITY_LABEL;
  active: boolean;
  owns: number;
  reviews: number;
}

const PAGE_SIZE = 25;

const compare: Record<string, (a: UserRowData, b: UserRowData) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  role: (a, b) => ROLE_LABEL[a.role].localeCompare(ROLE_LABEL[b.role]),
  seniority: (a, b) => SENIORITY_ORDER.indexOf(a.seniority) - SENIORITY_ORDER.indexOf(b.seniority),
  owns: (a, b) => a.owns - b.owns,
  reviews: (a, b) => a.reviews - b.reviews,
  active: (a, b) => Number(b.active) - Number(a.active),
};

export function UsersTable({ users, selfId }: { users: UserRowData[]; selfId: string }) {
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [sorting, setSorting] = useState<SortingState>([{ id: "name", desc: false }]);
  const [editing, setEditing] = useState<UserRowData | null>(null);
  const drawer = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  const open = (user: UserRowData, button: HTMLElement) => {
    opener.current = button;
    setEditing(user);
    drawer.current?.showModal();
  };
  const close = () => drawer.current?.close();

  const columns = useMemo(() => {
    const c = dataTableColumns<UserRowData>();
    return [
      c.accessor("name", {
        id: "name",
        header: "Name",
        cell: ({ row }) => (
          <div className="min-w-0">
            <div className="font-medium">{row.original.name}</div>
            <div className="break-all text-xs text-muted">{row.original.email}</div>
          </div>
        ),
      }),
      c.accessor("role", {
        id: "role",
        header: "Role",
        cell: (info) => <span className="whitespace-nowrap">{ROLE_LABEL[info.getValue()]}</span>,
      }),
      c.accessor("seniority", {
        id: "seniority",
        header: "Seniority",
        cell: (info) => SENIORITY_LABEL[info.getValue()],
      }),
      c.accessor("owns", { id: "owns", header: "Owns", cell: (info) => info.getValue() }),
      c.accessor("reviews", { id: "reviews", header: "Reviews", cell: (info) => info.getValue() }),
      c.accessor("active", {
        id: "active",
        header: "Status",
        cell: (info) => (info.getValue() ? "Active" : <span className="text-muted">Deactivated</span>),
      }),
      c.display({
        id: "edit",
        header: "Edit",
        cell: ({ row }) => (
          <Button onClick={(event) => open(row.original, event.currentTarget)} aria-label={`Edit ${row.original.name}`}>
            <Pencil aria-hidden className="size-3.5" />
            Edit
          </Button>
        ),
      }),
    ] as DataTableColumn<UserRowData>[];
  }, []);

  const matching = useMemo(() => {
    const words = q.trim().toLowerCase();
    const found = words
      ? users.filter((u) =>
          `${u.name} ${u.email} ${ROLE_LABEL[u.role]} ${SENIORITY_LABEL[u.seniority]}`.toLowerCase().includes(words),
        )
      : users;
    const sort = sorting[0];
    const by = sort ? compare[sort.id] : undefined;
    return by ? [...found].sort((a, b) => (sort?.desc ? -by(a, b) : by(a, b)) || a.name.localeCompare(b.name)) : found;
  }, [users, q, sorting]);
  const pageCount = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const current = Math.min(page, pageCount);
  const rows = matching.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const from = matching.length ? (current - 1) * PAGE_SIZE + 1 : 0;
  const to = Math.min(matching.length, current * PAGE_SIZE);

  return (
    <div className="space-y-2 px-3 pb-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="min-w-0 flex-1 basis-56 sm:max-w-sm">
          <label htmlFor="users-q" className="block text-xs font-medium text-muted">
            Search people
          </label>
          <div className="border-base surface mt-1 flex h-8 items-center gap-2 rounded-md border px-2 focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-[var(--color-status-submitted)]">
            <Search aria-hidden className="size-4 shrink-0 text-muted" />
            <input
              id="users-q"
              type="search"
              value={q}
              onChange={(event) => {
                setQ(event.target.value);
                setPage(1);
              }}
              placeholder="Name, email, role or seniority"
              className="w-full min-w-0 bg-transparent text-sm outline-none"
            />
          </div>
        </div>
        <p className="text-sm tabular-nums text-muted" aria-live="polite">
          {matching.length === users.length
            ? `${users.length} people`
            : `${matching.length} of ${users.length} people match`}
        </p>
      </div>
      {rows.length ? (
        <DataTable
          caption={`People ${from} to ${to} of ${matching.length}`}
          data={rows}
          columns={columns}
          getRowId={(row) => row.id}
          sorting={sorting}
          onSortingChange={(next) => {
            setSorting(next);
            setPage(1);
          }}
          columnVisibility={{}}
          numericColumns={["owns", "reviews"]}
          stackOnPhone
        />
      ) : (
        <DataTableEmpty title="Nobody matches this search">Try part of a name or an email address.</DataTableEmpty>
      )}
      {pageCount > 1 ? (
        <nav aria-label="Pages of people" className="flex flex-wrap items-center justify-end gap-2 text-sm">
          <Button disabled={current <= 1} onClick={() => setPage(current - 1)}>
            Previous
          </Button>
          <span className="tabular-nums text-muted">
            Page {current} of {pageCount}
          </span>
          <Button disabled={current >= pageCount} onClick={() => setPage(current + 1)}>
            Next
          </Button>
        </nav>
      ) : null}

      <dialog
        ref={drawer}
        aria-labelledby="edit-user-title"
        onClose={() => {
          setEditing(null);
          opener.current?.focus();
        }}
        className="confirm-dialog surface border-base fixed inset-y-0 left-auto right-0 m-0 h-full max-h-none w-[min(26rem,100vw)] max-w-none border-l p-0 text-[var(--text)] shadow-xl"
      >
        {editing ? <EditUser key={editing.id} user={editing} self={editing.id === selfId} onDone={close} /> : null}
      </dialog>
    </div>
  );
}

function EditUser({ user, self, onDone }: { user: UserRowData; self: boolean; onDone: () => void }) {
  const form = useFormAction(updateUserAction, { onSuccess: onDone });
  const toggle = useFormAction(setUserActiveAction, { onSuccess: onDone });
  const fields = {
    name: { label: "Name", id: "edit-user-name" },
    role: { label: "Role", id: "edit-user-role" },
    seniority: { label: "Seniority", id: "edit-user-seniority" },
  };
  return (
    <div className="flex h-full flex-col">
      <div className="border-base flex items-start justify-between gap-2 border-b p-4">
        <div className="min-w-0">
          <h2 id="edit-user-title" className="font-semibold">
            Edit {user.name}
          </h2>
          <p className="break-all text-xs text-muted">{user.email}</p>
        </div>
        <button
          type="button"
          onClick={onDone}
          className="-m-1 rounded p-1 hover:bg-[var(--surface-muted)]"
          aria-label="Close"
        >
          <X aria-hidden className="size-4" />
        </button>
      </div>
      <form
        key={form.formKey}
        id={form.formId}
        action={form.action}
        className="space-y-3 p-4"
        aria-label={`Details of ${user.name}`}
      >
        <input type="hidden" name="userId" value={user.id} />
        <FormErrors state={form} fields={fields} />
        <TextField
          id={fields.name.id}
          label="Name"
          name="name"
          required
          maxLength={200}
          defaultValue={form.value("name", user.name)}
          errors={form.errors.name}
          autoFocus
        />
        <SelectField
          id={fields.role.id}
          label="Role"
          name="role"
          defaultValue={form.value("role", user.role)}
          errors={form.errors.role}
        >
          {Object.entries(ROLE_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField
          id={fields.seniority.id}
          label="Seniority"
          name="seniority"
          defaultValue={form.value("seniority", user.seniority)}
          errors={form.errors.seniority}
        >
          {Object.entries(SENIORITY_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <p className="text-xs text-muted">
          Owns {user.owns} and reviews {user.reviews} system{user.reviews === 1 ? "" : "s"}. A lower seniority applies
          to sign-offs from now on; earlier ones keep the seniority they were given with.
        </p>
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={form.pending} aria-label={`Save ${user.name}`}>
            {form.pending ? "Saving…" : "Save"}
          </Button>
          <Button onClick={onDone}>Cancel</Button>
        </div>
      </form>
      {self ? null : (
        <form
          key={`t${toggle.formKey}`}
          id={toggle.formId}
          action={toggle.action}
          className="border-base mt-auto space-y-2 border-t p-4"
        >
          <input type="hidden" name="userId" value={user.id} />
          <input type="hidden" name="active" value={user.active ? "false" : "true"} />
          <p className="text-xs text-muted">
            {user.active
              ? "Deactivating signs them out at once and stops their API tokens; their assignments and history stay."
              : "Reactivating lets them sign in again."}
          </p>
          <Button
            type="submit"
            variant={user.active ? "danger" : "secondary"}
            disabled={toggle.pending}
            aria-label={`${user.active ? "Deactivate" : "Reactivate"} ${user.name}`}
          >
            {user.active ? "Deactivate" : "Reactivate"}
          </Button>
          <FormErrors state={toggle} fields={{}} />
        </form>
      )}
    </div>
  );
}
