import Link from "next/link";

export default function NotFound() {
  return (
    <div className="surface border-base mx-auto mt-10 max-w-lg rounded-lg border p-6">
      <h1 className="text-lg font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-muted">There is nothing at this address.</p>
      <Link href="/systems" className="mt-4 inline-block text-sm font-medium underline">
        Go to the systems
      </Link>
    </div>
  );
}
