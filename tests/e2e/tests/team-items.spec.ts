// The year's evidence items as the regency team shares them out: the coordinator gives an
// item to two agencies; one sends its part offline with a photo, the other online; the board
// names what each still owes; the same part edited in two browsers offline ends as a
// conflict the coordinator resolves; once the year is submitted, agencies cannot change it.
import { test, expect } from './server';
import { signInToDesk } from './desk-session';
import type { Browser, Page } from '@playwright/test';

const signIn = (browser: Browser, baseURL: string, username: string, password: string) =>
  signInToDesk(browser, baseURL, username, password, 'nav-team');

const DINKES = 'Dinas Kesehatan';
const DPMD = 'Dinas Pemberdayaan Masyarakat dan Desa';

/** A 640x480 JPEG drawn by the browser. */
async function photo(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 480);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#0f6b4f';
    context.fillRect(0, 0, 640, 480);
    context.fillStyle = '#f4c542';
    context.fillRect(80, 60, 200, 150);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg' })).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
}

async function open(details: ReturnType<Page['getByTestId']>) {
  if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) await details.locator('summary').first().click();
}

async function fillPart(page: Page, key: string, account: string) {
  const card = page.locator(`[data-testid=items-mine] [data-testid=item-card][data-key="${key}"]`);
  const form = card.getByTestId('contribution-form');
  await open(form);
  await form.getByTestId('field-account').fill(account);
  return form;
}

async function synced(page: Page) {
  await page.getByTestId('team-sync').click();
  await expect(page.getByTestId('team-waiting')).toContainText(': 0', { timeout: 20_000 });
}

// The whole cycle with four browsers: on two busy cores it runs near a minute.
test.describe.configure({ timeout: 150_000 });

test('items given to agencies, sent offline and online, a same-part conflict resolved, then closed', async ({ browser, baseURL }) => {
  const coordinator = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await coordinator.getByTestId('nav-team').click();
  const item = coordinator.locator('[data-testid=item-card][data-key="a1.1"]');
  await open(item.getByTestId('assign-form'));
  await item.locator(`[data-testid=assign-agency][data-agency="${DINKES}"]`).check();
  await item.locator(`[data-testid=assign-agency][data-agency="${DPMD}"]`).check();
  await item.getByTestId('assign-save').click();
  await expect(item.getByTestId('item-assigned')).toContainText(`${DINKES}, ${DPMD}`);
  await synced(coordinator);

  // Each agency finds the item among its own, first.
  const dinkes = await signIn(browser, baseURL!, 'dinkes.banjar', 'dinkes2026');
  await dinkes.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const mine = dinkes.getByTestId('items-mine').getByTestId('item-card');
  await expect(mine).toHaveCount(1, { timeout: 20_000 });
  await expect(mine).toHaveAttribute('data-key', 'a1.1');
  const board = coordinator.getByTestId('board');
  const dinkesRow = board.locator(`[data-testid=board-row][data-agency="${DINKES}"]`);
  await expect(dinkesRow.getByTestId('board-owed-items')).toContainText('a1.1');

  // Offline all along, with a photo.
  const picture = await photo(dinkes);
  await dinkes.context().setOffline(true);
  const form = await fillPart(dinkes, 'a1.1', 'Analisis cakupan imunisasi per desa');
  await form.getByTestId('field-done_on').fill(new Date().toISOString().slice(0, 10));
  await form.getByTestId('file-input').setInputFiles({ name: 'rapat.jpg', mimeType: 'image/jpeg', buffer: picture });
  await expect(form.getByTestId('file-card')).toHaveCount(1);
  await form.getByTestId('contribution-save').click();
  await expect(form.getByTestId('contribution-saved')).toBeVisible();
  const sent = mine.getByTestId('contribution');
  await expect(sent).toHaveAttribute('data-waiting', 'true');
  await dinkes.reload();
  await expect(dinkes.getByTestId('items-mine').getByTestId('contribution')).toHaveAttribute('data-waiting', 'true');

  // The other agency, online.
  const dpmd = await signIn(browser, baseURL!, 'dpmd.banjar', 'dpmd2026');
  await expect(dpmd.getByTestId('items-mine').getByTestId('item-card')).toHaveCount(1, { timeout: 20_000 });
  const dpmdForm = await fillPart(dpmd, 'a1.1', 'Data desa lokus dari pendamping desa');
  await dpmdForm.getByTestId('contribution-save').click();
  await synced(dpmd);

  // The board, read again at the coordinator's next sync: DPMD has sent, Dinkes not yet.
  await synced(coordinator);
  await expect(board.locator(`[data-testid=board-row][data-agency="${DPMD}"]`).getByTestId('board-owed-items')).toHaveCount(0, { timeout: 20_000 });
  await expect(dinkesRow.getByTestId('board-owed-items')).toContainText('a1.1');

  // A second browser of the same agency changes the same part while the first is offline.
  const second = await signIn(browser, baseURL!, 'dinkes.banjar', 'dinkes2026');
  const secondForm = await fillPart(second, 'a1.1', 'Analisis situasi oleh tim gizi puskesmas');
  await secondForm.getByTestId('contribution-save').click();
  await synced(second);

  // The first comes online: its photo and part go up, and the part meets the other edit.
  await dinkes.context().setOffline(false);
  await dinkes.getByTestId('team-sync').click();
  await expect(dinkes.getByTestId('team-waiting')).toContainText(': 0', { timeout: 30_000 });
  await synced(coordinator);
  await expect(dinkesRow.getByTestId('board-owed-items')).toHaveCount(0, { timeout: 20_000 });

  await coordinator.getByTestId('nav-conflicts').click();
  const conflict = coordinator.getByTestId('conflict');
  await expect(conflict).toHaveCount(1, { timeout: 20_000 });
  await expect(conflict).toContainText('Analisis cakupan imunisasi per desa');
  await expect(conflict.getByTestId('conflict-kind')).toContainText('Bagian instansi pada butir bukti');
  await coordinator.getByTestId('conflict-reason').fill('Versi dengan foto rapat dipakai');
  await coordinator.getByTestId('take-incoming').click();
  await expect(coordinator.getByTestId('no-conflicts')).toBeVisible();
  await coordinator.getByTestId('nav-team').click();
  await synced(coordinator);
  const resolved = coordinator.locator(`[data-testid=item-card][data-key="a1.1"] [data-testid=contribution][data-agency="${DINKES}"]`);
  await expect(resolved.getByTestId('contribution-account')).toHaveText('Analisis cakupan imunisasi per desa', { timeout: 20_000 });
  await expect(resolved.getByTestId('file-card')).toHaveCount(1);

  // An agency offline at the handover still has a budget line waiting on its phone.
  await dpmd.context().setOffline(true);
  const budget = dpmd.getByTestId('budget-form');
  await open(budget);
  await budget.getByTestId('field-programme').fill('Program Pemberdayaan Masyarakat Desa');
  await budget.getByTestId('field-activity').fill('Pelatihan kader pembangunan manusia');
  await budget.getByTestId('field-allocation_rp').fill('120.000.000');
  await budget.getByTestId('budget-save').click();
  await expect(dpmd.getByTestId('budget-row')).toHaveAttribute('data-waiting', 'true');

  // The coordinator hands the year to the province; the agencies' parts are then locked.
  await coordinator.getByTestId('nav-actions').click();
  await expect(coordinator.getByTestId('checklist-status')).toHaveAttribute('data-status', 'draft');
  await expect(coordinator.getByTestId('checklist-status')).toHaveText('Draf');
  const items = coordinator.getByTestId('evidence-item');
  const count = await items.count();
  for (let i = 0; i < count; i++) {
    await items.nth(i).getByTestId('evidence-link').fill('https://dokumen.example/bukti.pdf');
    await items.nth(i).getByTestId('evidence-save').click();
    await expect(items.nth(i)).toHaveAttribute('data-done', 'true');
  }
  await coordinator.getByTestId('submit-checklist').click();
  await expect(coordinator.getByTestId('checklist-status')).toHaveText('Dikirim ke provinsi');
  // Back online, the late line is refused, says why and stays on the phone.
  await dpmd.context().setOffline(false);
  await dpmd.getByTestId('team-sync').click();
  await expect(dpmd.getByTestId('team-year-closed')).toBeVisible({ timeout: 20_000 });
  await expect(dpmd.getByTestId('budget-row').getByTestId('record-refused')).toContainText('sudah dikirim ke provinsi', { timeout: 20_000 });
  await expect(dpmd.getByTestId('contribution-form')).toHaveCount(0);
  await expect(dpmd.getByTestId('budget-form')).toHaveCount(0);
  // Both parts stay readable; the team sees each other's parts of a shared item.
  await expect(dpmd.getByTestId('items-mine').getByTestId('contribution')).toHaveCount(2);
});
