// Mentions in a checkpoint's discussion (docs/RULES.md, section 7), as pure decisions. A mention is
// "@" followed by the full name of someone with access to the system (its owners, its reviewers,
// the program's leads), so names with spaces work and nobody outside the thread can be summoned.

export interface MentionCandidate {
  id: string;
  name: string;
}

export const COMMENT_MAX_LENGTH = 4000;

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/**
 * The people a comment mentions, in the order they first appear. Longer names are tried first, so
 * "@Ann Lee" mentions Ann Lee and not an "Ann" who also has access; a name must end at a word
 * boundary ("@Annabel" is not "@Ann"); matching ignores case.
 */
export function mentionedPeople(body: string, candidates: readonly MentionCandidate[]): string[] {
  const byLength = [...candidates].filter((c) => c.name.trim()).sort((a, b) => b.name.length - a.name.length);
  const lower = body.toLocaleLowerCase("en");
  const found: { id: string; at: number }[] = [];
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    if (isWordChar(lower[at - 1])) continue; // an e-mail address, not a mention
    const match = byLength.find((c) => {
      const name = c.name.toLocaleLowerCase("en");
      return lower.startsWith(name, at + 1) && !isWordChar(lower[at + 1 + name.length]);
    });
    if (match) found.push({ id: match.id, at });
  }
  return [...new Set(found.map((f) => f.id))];
}

/** Who is told of a comment: the people it mentions, never its own author. */
export function mentionRecipients(
  body: string,
  candidates: readonly MentionCandidate[],
  authorId: string | null,
): string[] {
  return mentionedPeople(body, candidates).filter((id) => id !== authorId);
}

/** The "@" word being typed at the caret, for the autocomplete: its start and the text after "@". */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf("@");
  if (at === -1 || isWordChar(before[at - 1])) return null;
  const query = before.slice(at + 1);
  // A name has at most a few words and never spans lines.
  if (/[\n\r@]/.test(query) || query.length > 60 || query.split(" ").length > 4) return null;
  return { start: at, query };
}

/** The candidates whose name (or a word of it) starts with what was typed, best first. */
export function mentionSuggestions(
  query: string,
  candidates: readonly MentionCandidate[],
  limit = 8,
): MentionCandidate[] {
  const q = query.toLocaleLowerCase("en");
  const scored = candidates
    .map((c) => {
      const name = c.name.toLocaleLowerCase("en");
      const score = name.startsWith(q) ? 0 : name.split(/\s+/).some((w) => w.startsWith(q)) ? 1 : -1;
      return { c, score };
    })
    .filter((s) => s.score >= 0)
    .sort((a, b) => a.score - b.score || a.c.name.localeCompare(b.c.name));
  return scored.slice(0, limit).map((s) => s.c);
}
