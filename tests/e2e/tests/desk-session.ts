// Signing in to the desk in a browser of its own (a new context at 360x640), as the
// supervisor, the province or an agency would on their phone; and a district's checklist
// sent to the province through the API, for the specs of what the province does next.
import { expect } from '@playwright/test';
import type { APIRequestContext, Browser, Page } from '@playwright/test';

/** The year the desk opens on: the one assessed this year (last year's work). */
export const ASSESSED_YEAR = new Date().getFullYear() - 1;

/** Signs `username` in and waits for `landmark` (a tab of the desk) to show. */
export async function signInToDesk(
  browser: Browser,
  baseURL: string,
  username: string,
  password: string,
  landmark = 'nav-status',
): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId(landmark)).toBeVisible();
  return page;
}

/** Fills every required item of `regency`'s checklist as its coordinator `username` and
 * submits it to the province. */
export async function submitChecklist(request: APIRequestContext, username: string, regency: string, year = ASSESSED_YEAR) {
  const login = await request.post('/api/v1/auth/login', { data: { username, password: 'supervisor123' } });
  const headers = { authorization: `Bearer ${(await login.json()).token}` };
  const catalogue = await (await request.get(`/api/v1/actions/catalogue/${year}`, { headers })).json();
  const base = `/api/v1/actions/checklists/${regency}/${year}`;
  for (const action of catalogue.actions) {
    for (const item of action.evidence.filter((e: { required: boolean }) => e.required)) {
      const body = { done: true, links: [`https://dokumen.example/${item.key}.pdf`], done_on: `${year}-05-02` };
      expect((await request.put(`${base}/items/${item.key}`, { headers, data: body })).status()).toBe(200);
    }
  }
  expect((await request.post(`${base}/transition`, { headers, data: { action: 'submit' } })).status()).toBe(200);
}
