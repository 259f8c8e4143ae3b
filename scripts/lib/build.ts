// The production build, skipped when nothing it reads has changed since the last one.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const nextBin = path.resolve("node_modules", "next", "dist", "bin", "next");

/** A fingerprint of everything `next build` reads, so an unchanged checkout is not rebuilt. */
function sourceFingerprint(): string {
  const hash = createHash("sha256");
  const roots = [
    "app",
    "components",
    "lib",
    "public",
    "next.config.ts",
    "package-lock.json",
    "postcss.config.mjs",
    "tsconfig.json",
  ];
  const walk = (entry: string) => {
    if (!fs.existsSync(entry)) return;
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry).sort()) walk(path.join(entry, child));
    } else if (!/\.test\.tsx?$/.test(entry)) {
      hash.update(`${entry}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  roots.forEach(walk);
  return hash.digest("hex");
}

export function buildIfNeeded(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env) {
  const stampFile = path.resolve(".next", "resetboard-build-stamp");
  const fingerprint = sourceFingerprint();
  const upToDate =
    fs.existsSync(path.resolve(".next", "BUILD_ID")) &&
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, "utf8") === fingerprint;
  if (upToDate) {
    log("The production build is up to date.");
    return;
  }
  log("Building the app (next build); this takes a minute or two the first time…");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed (its output is above).");
  fs.writeFileSync(stampFile, fingerprint);
}
