// The village scorecard complete (issue #17): indicator names beside their codes, per
// indicator the persons who missed it, Tabel 5 (Dana Desa) entered on one phone and read on
// another after sync, and the printed A4 page of tables 1-5.
import { test, expect } from './server';
import type { Browser, Page } from '@playwright/test';
import { addHousehold, serverChanges, signIn } from './phone';
import { signInToDesk } from './desk-session';

function today(offsetDays = 0): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** A phone of its own (own storage, own device id), signed in as the Sungai Sipai cadre. */
async function phone(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await signIn(page);
  return page;
}

async function syncNow(page: Page) {
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  await expect(page.getByTestId('pending-count')).toHaveText('0');
}

test('Dana Desa entered on one phone shows on the other after sync', async ({ browser, server, request }) => {
  const first = await phone(browser, server.baseURL);
  const second = await phone(browser, server.baseURL);

  await first.getByTestId('nav-scorecard').click();
  await expect(first.getByTestId('t5-not-entered')).toBeVisible();
  await first.getByTestId('dana-desa-open').click();
  await first.getByTestId('field-development.total_rupiah').fill('500.000.000');
  await first.getByTestId('field-development.stunting_rupiah').fill('75000000');
  await first.getByTestId('field-empowerment.total_rupiah').fill('200000000');
  // More for stunting than the field has: the shared rule's message, in Indonesian.
  await first.getByTestId('field-empowerment.stunting_rupiah').fill('250000000');
  await first.getByTestId('dana-desa-save').click();
  await expect(first.getByTestId('error-empowerment.stunting_rupiah'))
    .toHaveText('Alokasi stunting tidak boleh melebihi total alokasi bidang');
  await first.getByTestId('lang-switch').click();
  await expect(first.getByTestId('error-empowerment.stunting_rupiah'))
    .toHaveText("The stunting allocation cannot exceed the field's total allocation");
  await first.getByTestId('lang-switch').click();
  await first.getByTestId('field-empowerment.stunting_rupiah').fill('abc');
  await first.getByTestId('dana-desa-save').click();
  await expect(first.getByTestId('error-empowerment.stunting_rupiah')).toBeVisible();
  await first.getByTestId('field-empowerment.stunting_rupiah').fill('50.000.000');
  await first.getByTestId('dana-desa-save').click();
  await expect(first.getByTestId('dana-desa-saved')).toBeVisible();
  await expect(first.getByTestId('error-empowerment.stunting_rupiah')).toHaveCount(0);
  await expect(first.getByTestId('t5-development').getByTestId('t5-total')).toHaveText('500.000.000');
  await expect(first.getByTestId('t5-all').getByTestId('t5-share')).toHaveText('17.9 %');
  await syncNow(first);

  const year = new Date().getFullYear();
  const funds = (await serverChanges(request)).filter((c) => c.entity === 'village_fund');
  expect(funds).toHaveLength(1);
  expect(funds[0].body).toEqual({
    village_code: '63.03.05.2009',
    year,
    development: { total_rupiah: 500_000_000, stunting_rupiah: 75_000_000 },
    empowerment: { total_rupiah: 200_000_000, stunting_rupiah: 50_000_000 },
  });

  await syncNow(second);
  await second.getByTestId('nav-scorecard').click();
  await expect(second.getByTestId('t5-not-entered')).toHaveCount(0);
  await expect(second.getByTestId('t5-development').getByTestId('t5-stunting')).toHaveText('75.000.000');
  await expect(second.getByTestId('t5-empowerment').getByTestId('t5-share')).toHaveText('25.0 %');
  await expect(second.getByTestId('t5-all').getByTestId('t5-total')).toHaveText('700.000.000');
  // The second phone's form starts from what the first entered.
  await second.getByTestId('dana-desa-open').click();
  await expect(second.getByTestId('field-empowerment.total_rupiah')).toHaveValue('200000000');

  // The province's figures carry it, for the village and summed up to its kecamatan.
  const desk = await signInToDesk(browser, server.baseURL, 'provinsi.kalsel', 'provinsi123');
  await desk.getByTestId('nav-aggregates').click();
  await desk.locator('[data-testid=aggregate-row][data-code="63.03"]').click();
  await desk.locator('[data-testid=aggregate-row][data-code="63.03.05"]').click();
  const village = desk.locator('[data-testid=aggregate-row][data-code="63.03.05.2009"]');
  await expect(village.getByTestId('cell-dana-desa')).toHaveText(/^17[.,]9 ?%$/);
  await expect(desk.getByTestId('aggregate-total').getByTestId('cell-dana-desa')).not.toHaveText('–');
});

test('indicators carry their names and list who missed them', async ({ page }) => {
  await signIn(page);
  await addHousehold(page, 'Keluarga Skor');
  await page.getByTestId('add-child').click();
  await page.getByTestId('field-name').fill('Anak Skor');
  await page.getByTestId('field-sex-F').check();
  await page.getByTestId('field-birth_date').fill(today(-365));
  await page.getByTestId('save').click();
  await page.locator('li.member', { hasText: 'Anak Skor' }).getByTestId('monthly').click();
  await page.getByTestId('item-latrine-T').click();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('add-pregnant')).toBeVisible();

  await page.getByTestId('nav-scorecard').click();
  await expect(page.getByTestId('t3-IH-1').getByTestId('indicator-name')).toHaveText('Ibu hamil periksa kehamilan ≥4 kali');
  await expect(page.getByTestId('t3-PA-1').getByTestId('indicator-name')).toHaveText('Anak 2-6 tahun aktif di PAUD');
  await expect(page.getByTestId('indicator-name')).toHaveCount(19);
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('t3-AN-8').getByTestId('indicator-name')).toHaveText('Child has a birth certificate');
  await page.getByTestId('lang-switch').click();

  // The child answered "no" to a proper latrine this month: she is on AN-7's list.
  const latrine = page.getByTestId('missed-AN-7');
  await latrine.locator('summary').click();
  await expect(latrine.getByTestId('missed-person').filter({ hasText: 'Anak Skor' })).toHaveCount(1);

  // Every row lists exactly the gap between target and received that its count shows.
  for (const row of await page.locator('[data-testid^="t3-"]').filter({ has: page.getByTestId('t3-count') }).all()) {
    const [received, applicable] = (await row.getByTestId('t3-count').innerText()).split('/').map((n) => Number(n.trim()));
    await expect(row.getByTestId('missed-person'), await row.getAttribute('data-testid') ?? '').toHaveCount(applicable - received);
  }
});

test('the printed scorecard holds tables 1-5 and nothing to tap', async ({ page }, testInfo) => {
  await signIn(page);
  await page.getByTestId('nav-scorecard').click();
  await expect(page.getByTestId('print')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  for (const table of ['table1', 'table2', 'table3', 'table4', 'table5']) {
    await expect(page.getByTestId(table)).toBeVisible();
  }
  await expect(page.getByTestId('scorecard-village')).toContainText('Sungai Sipai');
  await expect(page.getByTestId('quarter')).toBeVisible();
  await expect(page.getByTestId('printed-on')).toBeVisible();
  await expect(page.getByTestId('printed-on')).toContainText(String(new Date().getFullYear()));
  for (const hidden of ['print', 'quarter-prev', 'quarter-next', 'dana-desa-form', 'nav-scorecard', 'app-name']) {
    await expect(page.getByTestId(hidden)).toBeHidden();
  }
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.byteLength).toBeGreaterThan(10_000);
  await testInfo.attach('scorecard.pdf', { body: pdf, contentType: 'application/pdf' });
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByTestId('print')).toBeVisible();
});
