// The coordinator manages the team's accounts on the desk: adds an agency account (a short
// password is refused under its field), disables it (its sign-in is refused), enables it
// again and gives it a new password.
import { test, expect } from './server';
import { signInToDesk } from './desk-session';
import type { Browser } from '@playwright/test';

async function tryToSignIn(browser: Browser, baseURL: string, username: string, password: string) {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  return page;
}

test('the coordinator adds, disables, enables and resets an agency account', async ({ browser, baseURL }) => {
  const coordinator = await signInToDesk(browser, baseURL!, 'supervisor.banjar', 'supervisor123', 'nav-team');
  await coordinator.getByTestId('nav-team').click();
  const accounts = coordinator.getByTestId('team-accounts');
  await accounts.locator('summary').first().click();
  await expect(accounts.locator('[data-testid=account-row][data-username="dinkes.banjar"]')).toBeVisible();

  const add = accounts.getByTestId('account-add');
  await add.getByTestId('field-username').fill('gizi.banjar');
  await add.getByTestId('field-display_name').fill('Rina Gizi');
  await add.getByTestId('field-agency').selectOption('Dinas Kesehatan');
  await add.getByTestId('field-password').fill('pendek');
  await add.getByTestId('account-add-save').click();
  await expect(add.getByTestId('error-password')).toHaveText('Kata sandi paling sedikit 8 karakter');
  await add.getByTestId('field-password').fill('rahasia-gizi');
  await add.getByTestId('account-add-save').click();
  const row = accounts.locator('[data-testid=account-row][data-username="gizi.banjar"]');
  await expect(row).toHaveAttribute('data-disabled', 'false');
  await expect(row).toContainText('Dinas Kesehatan');
  // The same name again is refused by the server, with its reason.
  await add.getByTestId('field-username').fill('gizi.banjar');
  await add.getByTestId('field-display_name').fill('Rina Gizi');
  await add.getByTestId('field-password').fill('rahasia-lain');
  await add.getByTestId('account-add-save').click();
  await expect(add.getByTestId('account-add-error')).toBeVisible();

  await row.getByTestId('account-toggle').click();
  await expect(row).toHaveAttribute('data-disabled', 'true');
  await expect(row.getByTestId('account-state')).toHaveText('Nonaktif');
  const refused = await tryToSignIn(browser, baseURL!, 'gizi.banjar', 'rahasia-gizi');
  await expect(refused.getByTestId('login-error')).toBeVisible();

  await row.getByTestId('account-toggle').click();
  await expect(row).toHaveAttribute('data-disabled', 'false');
  const reset = row.getByTestId('account-reset');
  await reset.locator('summary').click();
  await reset.getByTestId('field-password').fill('kata-sandi-baru');
  await reset.getByTestId('account-reset-save').click();
  await expect(accounts.getByTestId('account-error')).toHaveCount(0);
  const staff = await tryToSignIn(browser, baseURL!, 'gizi.banjar', 'kata-sandi-baru');
  await expect(staff.getByTestId('nav-team')).toBeVisible();
});
