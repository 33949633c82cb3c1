// Two tabs of the app on one phone: only one of them syncs at a time (Web Lock
// `konvergen-sync`, held for the duration of a sync run), so they never race on the outbox.
import { test, expect } from './server';
import type { Page, Request } from '@playwright/test';

const isSync = (request: Request) => /\/api\/v1\/sync\/(push|pull)/.test(request.url());

async function openSyncPanel(page: Page) {
  await page.getByTestId('nav-sync').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
}

test('two tabs never sync at the same time', async ({ context }) => {
  const first = await context.newPage();
  await first.goto('/');
  await first.getByTestId('login-username').fill('kader.sipai');
  await first.getByTestId('login-password').fill('kader123');
  await first.getByTestId('login-submit').click();
  await openSyncPanel(first);
  // The second tab opens the same session.
  const second = await context.newPage();
  await second.goto('/');
  await openSyncPanel(second);
  expect(await first.evaluate(() => 'locks' in navigator)).toBe(true);

  // The first tab's run is slowed down at the server's door, so it holds the lock a while.
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await first.route('**/api/v1/sync/pull**', async (route) => {
    await held;
    await route.continue();
  });
  const firstPull = first.waitForRequest((r) => r.url().includes('/api/v1/sync/pull'));
  await first.getByTestId('sync-now').click();
  await firstPull;
  await expect(first.getByTestId('sync-status')).toHaveAttribute('data-phase', 'running');
  const locks = await second.evaluate(async () => (await navigator.locks.query()).held?.map((l) => l.name));
  expect(locks).toEqual(['konvergen-sync']);

  // Meanwhile the second tab is asked to sync: it finds the lock taken and sends nothing.
  const fromSecond: string[] = [];
  second.on('request', (r) => { if (isSync(r)) fromSecond.push(r.url()); });
  await second.getByTestId('sync-now').click();
  await second.waitForTimeout(1_500);
  expect(fromSecond).toEqual([]);
  await expect(second.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');

  // Once the first run ends the lock is free again and the second tab syncs normally.
  release();
  await expect(first.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
  await expect.poll(async () => (await second.evaluate(async () => (await navigator.locks.query()).held?.length))).toBe(0);
  await second.getByTestId('sync-now').click();
  await expect.poll(() => fromSecond.length).toBeGreaterThan(0);
  await expect(second.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
});
