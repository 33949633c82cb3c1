// Deleting a registration made by mistake: asked twice, works offline, reaches the server
// with the next sync, and a record deleted before it was ever sent is not shown as an error.
import { test, expect } from './server';
import type { Page } from '@playwright/test';
import { addHousehold, serverChanges, signIn } from './phone';

async function signInWithWorker(page: Page) {
  await signIn(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test('a household and child registered by mistake are deleted offline and the deletes sync', async ({ page, context, request }) => {
  await signInWithWorker(page);
  await addHousehold(page, 'Keluarga Salah Daftar');
  await page.getByTestId('add-child').click();
  await page.getByTestId('field-name').fill('Anak Salah Daftar');
  await page.getByTestId('field-sex-M').check();
  await page.getByTestId('field-birth_date').fill(new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10));
  await page.getByTestId('save').click();
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('pending-count')).toHaveText('0');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');
  const before = await serverChanges(request);
  const household = before.find((c) => c.entity === 'household' && c.body?.head_name === 'Keluarga Salah Daftar')!;
  const child = before.find((c) => c.entity === 'child' && c.body?.name === 'Anak Salah Daftar')!;
  expect(household && child).toBeTruthy();
  await page.getByTestId('nav-home').click();
  await page.getByTestId('search').fill('Salah Daftar');
  await page.getByTestId('household-row').click();

  // A household with members cannot be deleted: the members go first.
  await expect(page.getByTestId('delete-members-first')).toBeVisible();
  await expect(page.getByTestId('delete')).toHaveCount(0);

  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'offline', { timeout: 20_000 });
  await page.getByTestId('member-row').click();
  await page.getByTestId('delete').click();
  // The first tap only asks; "Batal" keeps the child.
  await expect(page.getByTestId('delete-confirm')).toContainText('Hapus data ini?');
  await page.getByTestId('delete-no').click();
  await expect(page.getByTestId('delete-confirm')).toHaveCount(0);
  await page.getByTestId('delete').click();
  await page.getByTestId('delete-yes').click();
  await expect(page.getByTestId('member-row')).toHaveCount(0);

  // Now the household itself can go.
  await expect(page.getByTestId('delete-members-first')).toHaveCount(0);
  await page.getByTestId('delete').click();
  await page.getByTestId('delete-yes').click();
  await expect(page.getByTestId('add-household')).toBeVisible();
  await page.getByTestId('search').fill('Salah Daftar');
  await expect(page.getByTestId('household-row')).toHaveCount(0);
  await expect(page.getByTestId('pending-count')).toHaveText('2');

  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  const after = await serverChanges(request);
  expect(after.find((c) => c.record_id === child.record_id)?.deleted).toBe(true);
  expect(after.find((c) => c.record_id === household.record_id)?.deleted).toBe(true);
  // Two registrations and two deletes, all applied.
  await page.getByTestId('nav-sync').click();
  await expect(page.locator('[data-testid=receipt][data-status=applied]')).toHaveCount(4);
  await expect(page.locator('[data-testid=receipt][data-status=rejected]')).toHaveCount(0);
});

test('a household created and deleted offline ends deleted on the server, with nothing shown as refused', async ({ page, context, request }) => {
  await signInWithWorker(page);
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'offline', { timeout: 20_000 });
  await addHousehold(page, 'Keluarga Sementara');
  await page.getByTestId('delete').click();
  await page.getByTestId('delete-yes').click();
  await expect(page.getByTestId('add-household')).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  // Whether the registration left the phone before the delete or not, the cadre sees no
  // refusal: either both were applied, or the delete of a never-sent record is shown as such.
  await page.getByTestId('nav-sync').click();
  await expect(page.getByTestId('receipt').first()).toBeVisible();
  await expect(page.getByTestId('receipts')).not.toContainText('Ditolak');
  const live = (await serverChanges(request)).filter((c) => c.body?.head_name === 'Keluarga Sementara' && !c.deleted);
  expect(live).toHaveLength(0);
});
