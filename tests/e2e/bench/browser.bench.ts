// First-load transfer size, initial sync of a 150-household village into IndexedDB, and
// offline reload to interactive, on the real app and server. Prints one JSON line.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
  await expect(page.getByTestId('add-household')).toBeVisible();
  await expect(page.getByTestId('household-row').first()).toBeVisible();
  const offlineReloadMs = Date.now() - reloadStart;

  const result = { firstLoadBytes, firstLoadKiB: +(firstLoadBytes / 1024).toFixed(1), initialSyncMs, records, offlineReloadMs };
  console.log(JSON.stringify(result));
  writeFileSync(process.env.BENCH_OUT ?? '/tmp/konvergen-browser-bench.json', JSON.stringify(result, null, 2));
  await context.close();
  await server.dispose();
});
