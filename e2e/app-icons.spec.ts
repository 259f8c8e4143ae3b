// The favicon, the app icons and the web manifest load for a signed-out browser too (the sign-in
// page shows them, and a phone's "add to home screen" reads the manifest before anyone signs in).
import { expect, test } from "@playwright/test";

test("the sign-in page links a favicon, an Apple touch icon and a manifest that all load signed out", async ({
  page,
  request,
}) => {
  await page.goto("/signin");
  const hrefs = await page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLLinkElement>(
        'link[rel="icon"], link[rel="apple-touch-icon"], link[rel="manifest"]',
      ),
    ].map((link) => ({
      rel: link.rel,
      href: new URL(link.href).pathname,
    })),
  );
  expect(hrefs.map((h) => h.rel).sort()).toEqual(expect.arrayContaining(["apple-touch-icon", "icon", "manifest"]));
  for (const { href } of hrefs) {
    const response = await request.get(href, { maxRedirects: 0 });
    expect(response.status(), href).toBe(200);
  }

  const manifest = (await (await request.get("/manifest.webmanifest", { maxRedirects: 0 })).json()) as {
    name: string;
    icons: { src: string; sizes: string; type: string }[];
  };
  expect(manifest.name).toBe("Resetboard");
  expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  for (const icon of manifest.icons) {
    const response = await request.get(icon.src, { maxRedirects: 0 });
    expect(response.status(), icon.src).toBe(200);
    expect(response.headers()["content-type"]).toContain(icon.type.split("+")[0]);
  }
});
