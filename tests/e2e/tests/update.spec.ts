// Deploying a new build: the running app offers the update, and accepting it reloads into
// the new version with the phone's data intact.
import { test, expect } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KonvergenServer } from './server';

test('a new deployment shows the update prompt and keeps the local data', async ({ browser }) => {
  const dist = mkdtempSync(join(tmpdir(), 'konvergen-dist-'));
  cpSync(process.env.KONVERGEN_DIST!, dist, { recursive: true });
  const server = new KonvergenServer({ demo: true, staticDir: dist });
  await server.start();
  const context = await browser.newContext({ baseURL: server.baseURL, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  try {
    await page.goto('/');
    await page.getByTestId('login-username').fill('kader.sipai');
    await page.getByTestId('login-password').fill('kader123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('add-household').click();
    await page.getByTestId('field-head_name').fill('Sebelum Pembaruan');
    await page.getByTestId('save').click();
    await expect(page.getByTestId('add-pregnant')).toBeVisible();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.waitForFunction(async () => Boolean(await caches.match('/scorecard/index.html')));
    const before = await page.evaluate(() => caches.keys());

    // Deploy: a new service worker (a new build changes its version line).
    const worker = readFileSync(join(dist, 'sw.js'), 'utf8');
    writeFileSync(join(dist, 'sw.js'), worker.replace(/const VERSION = '([^']+)'/, "const VERSION = '$1-next'"));
    rmSync(join(dist, 'sw.js.gz'), { force: true });
    rmSync(join(dist, 'sw.js.br'), { force: true });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

    await expect(page.getByTestId('update-prompt')).toBeVisible({ timeout: 20_000 });
    // The waiting version already keeps the full module (the scorecard) the phone had kept.
    const keptByNext = await page.evaluate(async () => {
      const next = (await caches.keys()).find((key) => key.endsWith('-next'));
      return Boolean(next && await (await caches.open(next)).match('/scorecard/index.html'));
    });
    expect(keptByNext).toBe(true);
    const reloaded = page.waitForEvent('load');
    await page.getByTestId('update-now').click();
    await reloaded;
    // The reload keeps the screen the cadre was on (the new household).
    await expect(page.getByTestId('add-pregnant')).toBeVisible();
    await page.getByTestId('nav-home').click();
    const after = await page.evaluate(() => caches.keys());
    expect(after.some((key) => key.endsWith('-next'))).toBe(true);
    expect(after).not.toEqual(before);
    await page.getByTestId('search').fill('Sebelum Pembaruan');
    await expect(page.getByTestId('household-row')).toHaveCount(1);
  } finally {
    await context.close();
    await server.dispose();
    rmSync(dist, { recursive: true, force: true });
  }
});
