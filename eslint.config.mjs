import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers of docs/ARCHITECTURE.md, section 2, held by the linter: the pure rules import no I/O,
// components get DTOs (types only) and never the database, routes reach Prisma only through lib/data.
const PRISMA_CLIENT = [
  {
    group: ["@/lib/db", "@/lib/db/*", "@/lib/generated/prisma/client", "@prisma/*", "pg"],
    message: "Only lib/data talks to the database.",
  },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "lib/generated/**",
    ".data/**",
    ".tmp/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // lib/labels.ts (the people-facing words of every enum) is held to the same purity, so that
    // the rules may word their refusals with it.
    files: ["lib/domain/**/*.ts", "lib/labels.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@/lib/*",
                "!@/lib/domain",
                "!@/lib/domain/*",
                "!@/lib/generated",
                "!@/lib/generated/prisma",
                "!@/lib/generated/prisma/enums",
                "!@/lib/labels",
              ],
              message: "lib/domain holds pure rules: it imports only lib/domain, lib/labels and the generated enums.",
            },
            {
              group: ["node:*", "!node:crypto", "next", "next/*", "react", "react/*", "server-only", "pg", "@prisma/*"],
              message: "lib/domain does no I/O (hashing with node:crypto is pure).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            ...PRISMA_CLIENT,
            {
              group: ["@/lib/data", "@/lib/data/*", "@/lib/data/**"],
              allowTypeImports: true,
              message: "Components receive DTOs from pages; they import lib/data types only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: PRISMA_CLIENT }] },
  },
  {
    // lib/auth (the session) reads users through lib/data; lib/data never reaches back into
    // lib/auth, so the two import in one direction. The permission table lives in lib/domain.
    // Integration tests may still stand in for the session.
    files: ["lib/data/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/auth", "@/lib/auth/*"],
              message: "lib/data does not import lib/auth (which imports lib/data); put the pure part in lib/domain.",
            },
          ],
        },
      ],
    },
  },
]);
