// Two phones of one village, dropped responses, and app updates: nothing typed is lost,
// nothing is stored twice.
import { test, expect } from './server';
import type { Page, APIRequestContext, BrowserContext } from '@playwright/test';
import { addHousehold, serverChanges, signIn } from './phone';

async function token(request: APIRequestContext, username: string, password: string) {
  const login = await request.post('/api/v1/auth/login', { data: { username, password } });
  return (await login.json()).token as string;
}

async function households(request: APIRequestContext) {
  return (await serverChanges(request)).filter((c) => c.entity === 'household');
}

async function syncNow(page: Page) {
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
}

test('a second phone receives the data, and concurrent offline edits become a recorded conflict', async ({ browser, baseURL, request }) => {
  const phoneA: BrowserContext = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 } });
  const phoneB: BrowserContext = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 } });
  const a = await phoneA.newPage();
  const b = await phoneB.newPage();
  await signIn(a);
  await addHousehold(a, 'Keluarga Bersama');
  await syncNow(a);
  await signIn(b);
  await b.getByTestId('nav-home').click();
  await b.getByTestId('search').fill('Keluarga Bersama');
  await expect(b.getByTestId('household-row')).toHaveCount(1);
  await expect(b.getByTestId('household-row')).toContainText('Keluarga Bersama');

  // Both phones edit the same household without network.
  for (const [phone, context, head] of [[a, phoneA, 'Versi A'], [b, phoneB, 'Versi B']] as const) {
    await context.setOffline(true);
    await phone.getByTestId('nav-home').click();
    await phone.getByTestId('search').fill('Keluarga Bersama');
    await phone.getByTestId('household-row').click();
    await phone.getByTestId('edit-household').click();
    await phone.getByTestId('field-head_name').fill(head);
    await phone.getByTestId('save').click();
    await expect(phone.getByTestId('add-pregnant')).toBeVisible();
  }
  await phoneA.setOffline(false);
  await syncNow(a);
  await phoneB.setOffline(false);
  await syncNow(b);
  await expect(b.locator('[data-testid=receipt][data-status=conflict]')).toHaveCount(1);

  const supervisor = { authorization: `Bearer ${await token(request, 'supervisor.banjar', 'supervisor123')}` };
  const conflicts = await (await request.get('/api/v1/supervision/conflicts', { headers: supervisor })).json();
  expect(conflicts).toHaveLength(1);
  expect(conflicts[0].server_body.head_name).toBe('Versi A');
  expect(conflicts[0].incoming_body.head_name).toBe('Versi B');
  await phoneA.close();
  await phoneB.close();
});

test('a push whose answer is lost is retried without duplicates', async ({ page, request }) => {
  await signIn(page);
  let dropped = 0;
  await page.route('**/api/v1/sync/push', async (route) => {
    if (dropped === 0 && (route.request().postData() ?? '').includes('Tanpa Jawaban')) {
      dropped += 1;
      await route.fetch(); // the server receives and commits it ...
      await route.abort('connectionreset'); // ... but the phone never hears back
      return;
    }
    await route.continue();
  });
  await addHousehold(page, 'Tanpa Jawaban');
  await page.getByTestId('nav-sync').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  expect(dropped).toBe(1);
  const found = (await households(request)).filter((h) => h.body.head_name === 'Tanpa Jawaban');
  expect(found).toHaveLength(1);
  await expect(page.locator('[data-testid=receipt][data-status=duplicate]')).toHaveCount(1);
});

test('a server restart in the middle of work loses nothing', async ({ page, server, request }) => {
  await signIn(page);
  await server.kill();
  await addHousehold(page, 'Saat Server Mati');
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'behind', { timeout: 20_000 });
  await expect(page.getByTestId('outbox-count')).toHaveText('1');
  await server.start();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  const found = (await households(request)).filter((h) => h.body.head_name === 'Saat Server Mati');
  expect(found).toHaveLength(1);
});
