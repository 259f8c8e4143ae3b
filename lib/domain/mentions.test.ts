import { describe, expect, it } from "vitest";
import { mentionedPeople, mentionQueryAt, mentionRecipients, mentionSuggestions } from "@/lib/domain/mentions";

const people = [
  { id: "ann", name: "Ann" },
  { id: "ann-lee", name: "Ann Lee" },
  { id: "bo", name: "Bo Østergaard" },
];

describe("mentions", () => {
  it("finds full names after @, longest first, case-insensitive, in order of appearance", () => {
    expect(mentionedPeople("@bo østergaard and @Ann Lee, then @ann.", people)).toEqual(["bo", "ann-lee", "ann"]);
  });

  it("needs a word boundary on both sides, so e-mail addresses and longer names are not mentions", () => {
    expect(mentionedPeople("mail ann@example.com or @Annabel", people)).toEqual([]);
  });

  it("ignores people without access and counts a repeated mention once", () => {
    expect(mentionedPeople("@Zed @Ann @Ann", people)).toEqual(["ann"]);
  });

  it("never notifies the author of their own mention", () => {
    expect(mentionRecipients("@Ann and @Ann Lee", people, "ann")).toEqual(["ann-lee"]);
  });

  it("reads the @word at the caret for the autocomplete", () => {
    expect(mentionQueryAt("hi @An", 6)).toEqual({ start: 3, query: "An" });
    expect(mentionQueryAt("hi @Ann Lee", 11)).toEqual({ start: 3, query: "Ann Lee" });
    expect(mentionQueryAt("a@b", 3)).toBeNull();
    expect(mentionQueryAt("@An\nx", 5)).toBeNull();
    expect(mentionQueryAt("no mention", 4)).toBeNull();
  });

  it("suggests names starting with the query before names with a later word starting with it", () => {
    const list = [...people, { id: "lea", name: "Lea Park" }];
    expect(mentionSuggestions("le", list).map((c) => c.id)).toEqual(["lea", "ann-lee"]);
    expect(mentionSuggestions("", list)).toHaveLength(4);
    expect(mentionSuggestions("x", list)).toEqual([]);
  });
});
