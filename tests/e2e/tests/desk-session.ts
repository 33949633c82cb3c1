// Signing in to the desk in a browser of its own (a new context at 360x640), as the
// supervisor, the province or an agency would on their phone.
import { expect } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';

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
