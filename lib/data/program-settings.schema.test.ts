import { describe, expect, it } from "vitest";
import { programSettingsSchema } from "@/lib/data/program-settings.schema";

const milestone = {
  key: "rollback",
  name: "Rollback plan tested",
  description: "",
  dueDay: 60,
  requiredApprovals: 1,
  minReviewerSeniority: "MID",
  evidenceHint: "",
};
const valid = { version: 3, name: "Code Safety Reset 2026", startsOn: "2026-10-18", milestones: [milestone] };
const errorsOf = (input: unknown, durationDays = 90) => {
  const result = programSettingsSchema({ durationDays }).safeParse(input);
  return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("programSettingsSchema", () => {
  it("accepts the settings as stored and trims the text", () => {
    const parsed = programSettingsSchema({ durationDays: 90 }).parse({
      ...valid,
      name: "  Reset  ",
      milestones: [{ ...milestone, name: " Rollback " }],
    });
    expect(parsed).toMatchObject({ name: "Reset", milestones: [{ name: "Rollback" }] });
  });

  it("bounds the due day by the program's length, on both ends", () => {
    expect(errorsOf({ ...valid, milestones: [{ ...milestone, dueDay: 90 }] })).toEqual({});
    expect(errorsOf({ ...valid, milestones: [{ ...milestone, dueDay: 91 }] })).toEqual({
      "milestones.0.dueDay": "The due day must be between 1 and 90 (the program lasts 90 days)",
    });
    expect(errorsOf({ ...valid, milestones: [{ ...milestone, dueDay: 31 }] }, 30)).toEqual({
      "milestones.0.dueDay": "The due day must be between 1 and 30 (the program lasts 30 days)",
    });
    expect(errorsOf({ ...valid, milestones: [{ ...milestone, dueDay: 0 }] })).toEqual({
      "milestones.0.dueDay": "The due day must be between 1 and 90",
    });
    expect(errorsOf({ ...valid, milestones: [{ ...milestone, dueDay: Number.NaN }] })).toEqual({
      "milestones.0.dueDay": "The due day must be a whole number from 1 to 90",
    });
  });

  it("bounds approvals to 1..5 and seniority to the four levels", () => {
    expect(errorsOf({ ...valid, milestones: [{ ...milestone, requiredApprovals: 5 }] })).toEqual({});
    expect(
      errorsOf({ ...valid, milestones: [{ ...milestone, requiredApprovals: 6, minReviewerSeniority: "LEAD" }] }),
    ).toEqual({
      "milestones.0.requiredApprovals": "At most 5 approvals",
      "milestones.0.minReviewerSeniority": "Choose junior, mid, senior or principal",
    });
  });

  it("refuses a blank name, an impossible start date and a milestone listed twice", () => {
    expect(errorsOf({ ...valid, name: " ", startsOn: "2026-02-30", milestones: [milestone, milestone] })).toEqual({
      name: "The program name is required",
      startsOn: "The start date must be a date (YYYY-MM-DD)",
      "milestones.1.key": "The milestone rollback is listed twice",
    });
  });
});
