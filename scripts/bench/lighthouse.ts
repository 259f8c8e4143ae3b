// Lighthouse 12.2.3 (the last line for Node 20), run programmatically in the system Chromium with
// the bench session's cookie as an extra header. Lighthouse's default configuration: a mobile
// device with simulated throttling (slow 4G, 4x CPU), the view an executive on a phone gets.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

export interface LighthouseResult {
  performance: number | null;
  accessibility: number | null;
  bestPractices: number | null;
  lcpMs: number | null;
  tbtMs: number | null;
  cls: number | null;
}

let chrome: chromeLauncher.LaunchedChrome | undefined;

/** Kills the browser if one is running (Ctrl-C, or an error mid-run). */
export async function stopChrome() {
  const running = chrome;
  chrome = undefined;
  await running?.kill();
}

export async function runLighthouse(
  url: string,
  headers: Record<string, string>,
  chromePath: string,
): Promise<LighthouseResult> {
  chrome = await chromeLauncher.launch({
    chromePath,
    chromeFlags: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--no-first-run",
      "--no-default-browser-check",
    ],
    logLevel: "silent",
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices"],
      extraHeaders: headers,
    });
    if (!result) throw new Error("Lighthouse returned no result");
    const { categories, audits, runtimeError } = result.lhr;
    if (runtimeError) throw new Error(`Lighthouse: ${runtimeError.code} ${runtimeError.message}`);
    const score = (id: string) => {
      const s = categories[id]?.score;
      return s == null ? null : Math.round(s * 100);
    };
    const numeric = (id: string) => audits[id]?.numericValue ?? null;
    return {
      performance: score("performance"),
      accessibility: score("accessibility"),
      bestPractices: score("best-practices"),
      lcpMs: numeric("largest-contentful-paint"),
      tbtMs: numeric("total-blocking-time"),
      cls: numeric("cumulative-layout-shift"),
    };
  } finally {
    await stopChrome();
  }
}
