// First-load transfer size, initial sync of a 150-household village into IndexedDB, offline
// reload to interactive, and the full module (the scorecard): its bytes, how long after the
// first sync the phone has kept it, and opening it offline. On the real app and server.
// Prints one JSON line.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KonvergenServer } from '../tests/server';

test('browser figures', async ({ browser }) => {
  const server = new KonvergenServer({ demo: false });
  execFileSync(process.env.KONVERGEN_SERVER_BIN!, ['--data-dir', server.dataDir, 'seed-demo', '--households', '150']);
  await server.start();
  const context = await browser.newContext({ baseURL: server.baseURL, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  const transfers: Promise<number>[] = [];
  const seen: string[] = [];
  page.on('requestfinished', (request) => {
    if (!request.url().includes('/api/')) {
      seen.push(request.url());
      transfers.push(request.sizes().then((s) => {
        if (process.env.BENCH_VERBOSE) console.log(request.url(), s.responseBodySize, s.responseHeadersSize);
        return s.responseBodySize + s.responseHeadersSize;
      }));
    }
  });
  await page.goto('/');
  await expect(page.getByTestId('login-submit')).toBeVisible();
  await page.waitForLoadState('networkidle');
  const firstLoadBytes = (await Promise.all(transfers)).reduce((a, b) => a + b, 0);

  await page.getByTestId('login-username').fill('kader.sipai');
  await page.getByTestId('login-password').fill('kader123');
  const started = Date.now();
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 120_000 });
  const initialSyncMs = Date.now() - started;
  // The service worker fetches the full module after the first sync; a browser asking for
  // brotli gets these copies.
  await page.waitForFunction(async () => Boolean(await caches.match('/scorecard/index.html')), null, { timeout: 120_000 });
  const fullModuleKeptMs = Date.now() - started - initialSyncMs;
  const fullDir = join(process.env.KONVERGEN_DIST!, 'scorecard');
  const fullModuleBytes = readdirSync(fullDir).filter((name) => name.endsWith('.br'))
    .reduce((sum, name) => sum + statSync(join(fullDir, name)).size, 0);
  const records = await page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const open = indexedDB.open('konvergen-kader.sipai');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    return await new Promise<number>((resolve) => {
      const count = db.transaction('records').objectStore('records').count();
      count.onsuccess = () => resolve(count.result);
    });
  });

  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  const reloadStart = Date.now();
  await page.reload();
  // Interactive: the cadre's home, the month's task list, computed from the device's records.
  await expect(page.getByTestId('task').first()).toBeVisible();
  const offlineReloadMs = Date.now() - reloadStart;
  const scorecardStart = Date.now();
  await page.getByTestId('nav-scorecard').click();
  await expect(page.getByTestId('t3-AN-2')).toBeVisible();
  const offlineScorecardMs = Date.now() - scorecardStart;

  const result = {
    firstLoadBytes, firstLoadKiB: +(firstLoadBytes / 1024).toFixed(1), initialSyncMs, records, offlineReloadMs,
    fullModuleBytes, fullModuleKeptMs, offlineScorecardMs,
  };
  console.log(JSON.stringify(result));
  writeFileSync(process.env.BENCH_OUT ?? '/tmp/konvergen-browser-bench.json', JSON.stringify(result, null, 2));
  await context.close();
  await server.dispose();
});
