// Steps the cadre specs share: signing in as the demo cadre of Sungai Sipai, registering a
// household, and reading what the server holds for her villages.
import { expect } from './server';
import type { Page, APIRequestContext } from '@playwright/test';

/** Signs in as `kader.sipai` and waits until the first sync is done. */
export async function signIn(page: Page) {
  await page.goto('/');
  await page.getByTestId('login-username').fill('kader.sipai');
  await page.getByTestId('login-password').fill('kader123');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('add-household')).toBeVisible();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');
}

/** Registers a household with `head` as its head and stays on its page. */
export async function addHousehold(page: Page, head: string) {
  await page.getByTestId('nav-home').click();
  await page.getByTestId('add-household').click();
  await page.getByTestId('field-head_name').fill(head);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('add-pregnant')).toBeVisible();
}

/** Every change the server holds for `kader.sipai`'s villages, deleted records included. */
export async function serverChanges(request: APIRequestContext) {
  const login = await request.post('/api/v1/auth/login', { data: { username: 'kader.sipai', password: 'kader123' } });
  const { token } = await login.json();
  const pull = await request.get('/api/v1/sync/pull?limit=5000', { headers: { authorization: `Bearer ${token}` } });
  const body = await pull.json();
  return body.changes as Array<{ entity: string; record_id: string; deleted: boolean; body: any }>;
}
