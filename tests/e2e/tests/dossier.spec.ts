// What the coordinator hands to the province: the dossier workbook and the evidence ZIP
// downloaded from the desk, and the printable presentation, one A4 section per action,
// photos included.
import { test, expect } from './server';
import { signInToDesk } from './desk-session';
import type { Page } from '@playwright/test';

/** A 640x480 JPEG drawn by the browser. */
async function photo(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 480);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#f4c542';
    context.fillRect(0, 0, 640, 480);
    context.fillStyle = '#0f6b4f';
    context.beginPath();
    context.arc(320, 240, 150, 0, Math.PI * 2);
    context.fill();
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg' })).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
}

test('the coordinator downloads the dossier and the evidence, and prints the presentation', async ({ browser, baseURL }, testInfo) => {
  const coordinator = await signInToDesk(browser, baseURL!, 'supervisor.banjar', 'supervisor123', 'nav-team');
  await coordinator.getByTestId('nav-team').click();

  // An innovation with a photo and a budget line, written for an agency.
  const innovation = coordinator.getByTestId('innovation-form');
  await innovation.locator('summary').click();
  await innovation.getByTestId('field-title').fill('Dapur Sehat Atasi Stunting');
  await innovation.getByTestId('field-year_started').fill('2023');
  await innovation.getByTestId('field-target_group').fill('Balita gizi kurang');
  await innovation.getByTestId('field-description').fill('Makanan tambahan dari bahan pangan lokal');
  await innovation.getByTestId('file-input').setInputFiles({ name: 'dapur.jpg', mimeType: 'image/jpeg', buffer: await photo(coordinator) });
  await expect(innovation.getByTestId('file-card')).toHaveCount(1);
  await innovation.getByTestId('innovation-save').click();
  const budget = coordinator.getByTestId('budget-form');
  await budget.locator('summary').click();
  await budget.getByTestId('field-programme').fill('Program Pemenuhan Upaya Kesehatan');
  await budget.getByTestId('field-activity').fill('Pemberian makanan tambahan');
  await budget.getByTestId('field-allocation_rp').fill('450.000.000');
  await budget.locator('[data-testid=served-action][data-number="1"]').check();
  await budget.locator('[data-testid=served-action][data-number="5"]').check();
  await budget.getByTestId('budget-save').click();
  await expect(coordinator.getByTestId('budget-row').getByTestId('budget-actions')).toHaveText('Aksi 1, 5');
  await coordinator.getByTestId('team-sync').click();
  await expect(coordinator.getByTestId('team-waiting')).toContainText(': 0', { timeout: 20_000 });
  await expect(coordinator.getByTestId('innovation').getByTestId('file-card')).toHaveAttribute('data-state', 'on-server', { timeout: 20_000 });

  const handover = coordinator.getByTestId('handover');
  await handover.locator('summary').click();
  const [xlsx] = await Promise.all([coordinator.waitForEvent('download'), handover.getByTestId('dossier-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toMatch(/^konvergen-63\.03-\d{4}-dossier\.xlsx$/);
  const workbook = await xlsx.createReadStream().then(async (stream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  });
  expect(workbook.subarray(0, 2).toString()).toBe('PK');
  const [zip] = await Promise.all([coordinator.waitForEvent('download'), handover.getByTestId('dossier-zip').click()]);
  expect(zip.suggestedFilename()).toMatch(/evidence\.zip$/);
  await expect(handover.getByTestId('dossier-error')).toHaveCount(0);

  // The presentation: every section, the photo shown, laid out on A4 paper.
  await handover.getByTestId('open-paparan').click();
  const paparan = coordinator.getByTestId('paparan');
  await expect(paparan.getByTestId('paparan-action')).toHaveCount(8);
  await expect(paparan.getByTestId('paparan-outcomes')).toContainText('Prevalensi stunting');
  await expect(paparan.getByTestId('paparan-budget')).toContainText('Rp 450.000.000');
  await expect(paparan.getByTestId('paparan-innovations')).toContainText('Dapur Sehat Atasi Stunting');
  await expect(paparan.locator('[data-testid=paparan-photo][data-loaded=true]')).toHaveCount(1, { timeout: 20_000 });
  await expect(coordinator.getByTestId('board')).toBeHidden();

  await coordinator.emulateMedia({ media: 'print' });
  await coordinator.setViewportSize({ width: 794, height: 1123 });
  await expect(coordinator.locator('nav.tabs')).toBeHidden();
  await expect(paparan.getByTestId('paparan-print')).toBeHidden();
  for (const section of await paparan.locator('.paparan-section').all()) {
    await expect(section).toBeVisible();
  }
  await coordinator.screenshot({ path: testInfo.outputPath('paparan-a4.png'), fullPage: true });
  const pdf = await coordinator.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  // One page per section at least: the cover with the outcomes, 8 actions, budget, innovations.
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBeGreaterThanOrEqual(11);

  await coordinator.emulateMedia({ media: 'screen' });
  await paparan.getByTestId('paparan-close').click();
  await expect(coordinator.getByTestId('board')).toBeVisible();
});
