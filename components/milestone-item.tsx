"use client";
// One milestone of the system page. A link to it (#cp-KEY, from My work or a notification)
// scrolls it into view, opens it if it is collapsed, outlines it for a moment and moves focus
// there — also after client-side navigation, where the browser's own jump to the anchor
// happens before the page has streamed in. Completed milestones start collapsed behind their
// summary line; once open, they stay as the user leaves them.
import { useEffect, useRef, type ReactNode } from "react";

export function MilestoneItem({
  id,
  titleId,
  collapsed,
  summary,
  children,
}: {
  id: string;
  titleId: string;
  collapsed: boolean;
  summary: ReactNode;
  children: ReactNode;
}) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // On load and when the page settles, only while nothing else holds the focus: a person who
    // already acted (opened a dialog, submitted a form whose re-render remounts this) keeps it.
    // A change of the hash is always followed.
    const reveal = (force: boolean) => {
      const element = ref.current;
      if (!element || decodeURIComponent(window.location.hash.slice(1)) !== id) return;
      const active = document.activeElement;
      if (!force && active && active !== document.body && active !== element) return;
      element.querySelector("details")?.setAttribute("open", "");
      const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      element.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
      element.focus({ preventScroll: true });
      element.dataset.highlight = "";
      clearTimeout(timer);
      timer = setTimeout(() => delete element.dataset.highlight, 2500);
    };
    reveal(false);
    // Once more when the page has settled: the first pass can run while the router is still
    // restoring the page, which undoes the opening.
    const settled = setTimeout(() => reveal(false), 200);
    const followHash = () => reveal(true);
    window.addEventListener("hashchange", followHash);
    return () => {
      clearTimeout(settled);
      clearTimeout(timer);
      window.removeEventListener("hashchange", followHash);
    };
  }, [id]);

  return (
    <li
      id={id}
      ref={ref}
      tabIndex={-1}
      className="milestone-target surface border-base rounded-lg border focus:outline-none"
    >
      <section aria-labelledby={titleId}>
        {collapsed ? (
          <details className="group">
            <summary className="cursor-pointer list-none rounded-lg p-4 marker:hidden [&::-webkit-details-marker]:hidden">
              {summary}
            </summary>
            <div className="px-4 pb-4">{children}</div>
          </details>
        ) : (
          <div className="p-4">
            {summary}
            {children}
          </div>
        )}
      </section>
    </li>
  );
}
