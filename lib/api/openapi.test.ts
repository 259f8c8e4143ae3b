import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : entry.name === "route.ts" ? [full] : [];
  });
}

describe("the OpenAPI document", () => {
  const doc = openApiDocument();

  it("describes every method of every route under app/api/v1 and /api/health, and nothing else", () => {
    const found: string[] = [];
    for (const file of [...routeFiles(path.resolve("app/api/v1")), path.resolve("app/api/health/route.ts")]) {
      const source = fs.readFileSync(file, "utf8");
      const route =
        "/" +
        path
          .relative(path.resolve("app"), path.dirname(file))
          .split(path.sep)
          .join("/")
          .replace(/\[(\w+)\]/g, "{$1}");
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        if (new RegExp(`export (const|async function|function) ${method}\\b`).test(source))
          found.push(`${method.toLowerCase()} ${route}`);
      }
    }
    const described = Object.entries(doc.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((m) => `${m} ${route}`),
    );
    expect(described.sort()).toEqual(found.sort());
  });

  it("takes request bodies from the validating schemas", () => {
    const evidence = doc.paths["/api/v1/systems/{key}/checkpoints/{milestone}/evidence"]!.post as {
      requestBody: {
        content: {
          "application/json": { schema: { required: string[]; properties: Record<string, { enum?: string[] }> } };
        };
      };
    };
    const schema = evidence.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["url", "title", "kind"]);
    expect(schema.properties.kind?.enum).toContain("ROLLBACK_TEST");
  });
});
