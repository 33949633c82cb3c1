// The regency team at work: agencies send budget lines and innovations from their own
// browsers, one of them offline the whole time, and the coordinator sees the team's totals.
import { test, expect } from './server';
import { signInToDesk } from './desk-session';
import type { Browser, Page } from '@playwright/test';

const signIn = (browser: Browser, baseURL: string, username: string, password: string) =>
  signInToDesk(browser, baseURL, username, password, 'nav-team');

async function addBudgetLine(page: Page, programme: string, allocation: string) {
  const form = page.getByTestId('budget-form');
  if (!(await form.evaluate((d: HTMLDetailsElement) => d.open))) await form.locator('summary').click();
  await form.getByTestId('field-programme').fill(programme);
  await form.getByTestId('field-activity').fill('Penyediaan Layanan Kesehatan untuk UKM');
  await form.getByTestId('field-source').selectOption('dak');
  await form.getByTestId('field-allocation_rp').fill(allocation);
  await form.getByTestId('budget-save').click();
}

/** An 800x600 JPEG drawn by the browser. */
async function photo(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(800, 600);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#f4c542';
    context.fillRect(0, 0, 800, 600);
    context.fillStyle = '#0f6b4f';
    context.fillRect(100, 100, 300, 200);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg' })).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
}

// The whole cycle with four browsers: on two busy cores it runs near a minute.
test.describe.configure({ timeout: 150_000 });

test('an agency offline all along and another online send their parts; the coordinator sees the team', async ({ browser, baseURL }) => {
  const dinkes = await signIn(browser, baseURL!, 'dinkes.banjar', 'dinkes2026');
  await dinkes.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await expect(dinkes.getByTestId('nav-status')).toHaveCount(0);
  const picture = await photo(dinkes);
  await dinkes.context().setOffline(true);

  // A typo is named under its field, in Bahasa Indonesia, and nothing is stored.
  await addBudgetLine(dinkes, 'Program Pemenuhan Upaya Kesehatan', '-5');
  await expect(dinkes.getByTestId('error-allocation_rp')).toHaveText('Nilai rupiah tidak boleh negatif');
  await expect(dinkes.getByTestId('budget-row')).toHaveCount(0);
  await addBudgetLine(dinkes, 'Program Pemenuhan Upaya Kesehatan', '1.250.000.000');
  const row = dinkes.getByTestId('budget-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-waiting', 'true');
  await expect(row.getByTestId('budget-allocation')).toHaveText('Rp 1.250.000.000');

  const form = dinkes.getByTestId('innovation-form');
  await form.locator('summary').click();
  await form.getByTestId('field-title').fill('Gerakan Telur untuk Balita');
  await form.getByTestId('field-year_started').fill('2024');
  await form.getByTestId('field-target_group').fill('Balita gizi kurang');
  await form.getByTestId('field-description').fill('Dua butir telur sehari dari posyandu');
  await form.getByTestId('file-input').setInputFiles({ name: 'telur.jpg', mimeType: 'image/jpeg', buffer: picture });
  await expect(form.getByTestId('file-card')).toHaveCount(1);
  await form.getByTestId('innovation-save').click();
  await expect(dinkes.getByTestId('innovation')).toHaveCount(1);

  // Still there after a reload without network.
  await dinkes.reload();
  await expect(dinkes.getByTestId('budget-row')).toHaveAttribute('data-waiting', 'true');
  await expect(dinkes.getByTestId('innovation')).toHaveAttribute('data-waiting', 'true');

  // Another agency, online, in its own browser.
  const dpmd = await signIn(browser, baseURL!, 'dpmd.banjar', 'dpmd2026');
  await addBudgetLine(dpmd, 'Program Pemberdayaan Masyarakat Desa', '300.000.000');
  await expect(dpmd.getByTestId('budget-row')).toHaveAttribute('data-waiting', 'false', { timeout: 20_000 });

  // The first agency comes online: everything goes up once.
  await dinkes.context().setOffline(false);
  await dinkes.getByTestId('team-sync').click();
  await expect(dinkes.getByTestId('budget-row').filter({ hasText: 'Dinas Kesehatan' })).toHaveAttribute('data-waiting', 'false', { timeout: 20_000 });
  await expect(dinkes.getByTestId('innovation')).toHaveAttribute('data-waiting', 'false');
  await expect(dinkes.getByTestId('team-waiting')).toContainText(': 0');

  // The coordinator sees both agencies and the total of the fiscal year.
  const coordinator = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await coordinator.getByTestId('nav-team').click();
  await expect(coordinator.getByTestId('budget-row')).toHaveCount(2, { timeout: 20_000 });
  const year = await coordinator.getByTestId('field-year').inputValue();
  await expect(coordinator.locator(`[data-testid=budget-total][data-fiscal-year="${year}"]`)).toContainText('Rp 1.550.000.000');
  await expect(coordinator.getByTestId('innovation').getByTestId('file-card')).toHaveCount(1);

  // The board: every agency of the list, who still owes what, and what came after the
  // deadline the coordinator sets (yesterday, so what arrived today is late).
  const board = coordinator.getByTestId('board');
  await expect(board.getByTestId('board-row')).toHaveCount(11);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await coordinator.getByTestId('field-deadline-date').fill(yesterday);
  await coordinator.getByTestId('field-deadline-time').fill('17:00');
  await coordinator.getByTestId('deadline-save').click();
  await expect(board.getByTestId('board-deadline')).toContainText('17:00 WITA', { timeout: 20_000 });
  const dinkesRow = board.locator('[data-testid=board-row][data-agency="Dinas Kesehatan"]');
  await expect(dinkesRow).toHaveAttribute('data-late', '2');
  await expect(dinkesRow).toContainText('Belum:');
  await expect(board.locator('[data-testid=board-row][data-agency="Dinas Pendidikan"]')).toHaveAttribute('data-late', '0');

  // Another regency's agency sees none of it.
  const tapin = await signIn(browser, baseURL!, 'dinkes.tapin', 'dinkes2026');
  await tapin.getByTestId('team-sync').click();
  await expect(tapin.getByTestId('team-waiting')).toContainText(': 0');
  await expect(tapin.getByTestId('budget-row')).toHaveCount(0);
});
