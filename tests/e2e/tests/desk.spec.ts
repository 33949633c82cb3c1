// The district supervisor's and the province's desk on the real app and server.
import { test, expect } from './server';
import { signInToDesk } from './desk-session';
import type { Browser, Page, APIRequestContext } from '@playwright/test';

const signIn = signInToDesk;

async function token(request: APIRequestContext, username: string, password: string) {
  const login = await request.post('/api/v1/auth/login', { data: { username, password } });
  return (await login.json()).token as string;
}

function uuid() {
  return crypto.randomUUID();
}

test('a supervisor sees a backlog and resolves a conflict between two phones', async ({ browser, baseURL, request }) => {
  const cadre = { authorization: `Bearer ${await token(request, 'kader.sipai', 'kader123')}` };
  const house = uuid();
  const body = (head: string) => ({ village_code: '63.03.05.2009', head_name: head });
  const [phoneA, phoneB] = [uuid(), uuid()];
  const push = (device: string, seq: number, base: number, head: string, heartbeat?: object) =>
    request.post('/api/v1/sync/push', { headers: cadre, data: {
      device_id: device, heartbeat,
      mutations: [{ seq, entity: 'household', record_id: house, base_version: base, body: body(head) }],
    } });
  await push(phoneA, 1, 0, 'Asal', { outbox_size: 7, oldest_pending_secs: 3600 });
  await push(phoneA, 2, 1, 'Versi A');
  await push(phoneB, 1, 1, 'Versi B');

  const page = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await expect(page.locator('[data-testid=device-row][data-backlog=true]')).toHaveCount(1);

  await page.getByTestId('nav-conflicts').click();
  await expect(page.getByTestId('conflict')).toHaveCount(1);
  await expect(page.getByTestId('diff-row')).toContainText('head_name');
  await page.getByTestId('take-incoming').click();
  await expect(page.getByTestId('conflict-error')).toContainText('Alasan wajib diisi');
  await page.getByTestId('conflict-reason').fill('Dicek langsung ke rumah');
  await page.getByTestId('take-incoming').click();
  await expect(page.getByTestId('no-conflicts')).toBeVisible();

  // Another regency's supervisor sees none of it.
  const tapin = await signIn(browser, baseURL!, 'supervisor.tapin', 'supervisor123');
  await expect(tapin.getByTestId('device-table')).toBeVisible();
  await expect(tapin.locator('[data-testid=device-row][data-backlog=true]')).toHaveCount(0);
  await tapin.getByTestId('nav-conflicts').click();
  await expect(tapin.getByTestId('no-conflicts')).toBeVisible();
});

test('checklist: submit, return with a reason, resubmit, verify', async ({ browser, baseURL }) => {
  const district = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await district.getByTestId('nav-actions').click();
  await expect(district.getByTestId('checklist-status')).toHaveAttribute('data-status', 'draft');
  const items = district.getByTestId('evidence-item');
  const count = await items.count();
  // A link typed in one item survives another item's save and the read that follows it.
  await items.nth(1).getByTestId('evidence-link').fill('https://dokumen.example/sedang-diketik');
  await items.nth(0).getByTestId('evidence-link').fill('https://dokumen.example/pertama.pdf');
  await items.nth(0).getByTestId('evidence-save').click();
  await expect(items.nth(0)).toHaveAttribute('data-done', 'true');
  await expect(items.nth(1).getByTestId('evidence-link')).toHaveValue('https://dokumen.example/sedang-diketik');
  for (let i = 0; i < count; i++) {
    const item = items.nth(i);
    const key = await item.getAttribute('data-key');
    await item.getByTestId('evidence-link').fill(`https://dokumen.example/${key}.pdf`);
    await item.getByTestId('evidence-save').click();
    await expect(district.locator(`[data-testid=evidence-item][data-key="${key}"]`)).toHaveAttribute('data-done', 'true');
  }
  await district.getByTestId('submit-checklist').click();
  await expect(district.getByTestId('checklist-status')).toHaveAttribute('data-status', 'submitted');

  const province = await signIn(browser, baseURL!, 'provinsi.kalsel', 'provinsi123');
  await province.getByTestId('nav-actions').click();
  await expect(province.getByTestId('checklist-status')).toHaveAttribute('data-status', 'submitted');
  // The regency is chosen by name from the province's list.
  await province.getByTestId('regency').selectOption({ label: 'Kabupaten Tapin' });
  await expect(province.getByTestId('checklist-status')).toHaveAttribute('data-status', 'draft');
  await province.getByTestId('regency').selectOption('63.03');
  await expect(province.getByTestId('checklist-status')).toHaveAttribute('data-status', 'submitted');
  await province.getByTestId('return-reason').fill('Notulen rembuk belum ditandatangani');
  await province.getByTestId('return').click();
  await expect(province.getByTestId('checklist-status')).toHaveAttribute('data-status', 'returned');

  await district.getByTestId('nav-status').click();
  await district.getByTestId('nav-actions').click();
  await expect(district.getByTestId('return-reason-shown')).toContainText('Notulen rembuk belum ditandatangani');
  await district.getByTestId('submit-checklist').click();
  await expect(district.getByTestId('checklist-status')).toHaveAttribute('data-status', 'submitted');

  await province.getByTestId('nav-status').click();
  await province.getByTestId('nav-actions').click();
  await province.getByTestId('verify').click();
  await expect(province.getByTestId('checklist-status')).toHaveAttribute('data-status', 'verified');
});

test('the province sees regency figures and keeps them offline with their age', async ({ browser, baseURL }) => {
  const page = await signIn(browser, baseURL!, 'provinsi.kalsel', 'provinsi123');
  await page.getByTestId('nav-aggregates').click();
  await expect(page.locator('[data-testid=aggregate-row][data-code="63.03"]')).toBeVisible();
  await expect(page.locator('[data-testid=aggregate-row][data-code="63.05"]')).toBeVisible();
  await expect(page.getByTestId('aggregate-total')).toContainText('Kalimantan Selatan');
  await expect(page.getByTestId('bar-chart').first().getByTestId('bar')).toHaveCount(2);
  const download = page.waitForEvent('download');
  await page.getByTestId('download-xlsx').click();
  expect((await download).suggestedFilename()).toBe('konvergen-rekap.xlsx');

  await page.context().setOffline(true);
  await page.getByTestId('nav-status').click();
  await page.getByTestId('nav-aggregates').click();
  await expect(page.getByTestId('cached-note')).toBeVisible();
  await expect(page.locator('[data-testid=aggregate-row][data-code="63.03"]')).toBeVisible();
});

test('sync status: kecamatan filter, sorting and a silent threshold kept in the browser', async ({ browser, baseURL, request }) => {
  const cadre = { authorization: `Bearer ${await token(request, 'kader.sipai', 'kader123')}` };
  await request.post('/api/v1/sync/push', { headers: cadre, data: { device_id: uuid(), mutations: [],
    heartbeat: { outbox_size: 3, oldest_pending_secs: 60 } } });
  const page = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  const rows = page.getByTestId('device-row');
  const mine = page.locator('[data-testid=device-row][data-backlog=true]');
  await expect(mine).toHaveCount(1);
  await expect(mine).toHaveAttribute('data-silent', 'false');
  const total = await rows.count();
  const districts = await page.getByTestId('device-district').allInnerTexts();
  const expected = (name: string) => districts.filter((d) => d.split(', ').includes(name)).length;

  // Kecamatan filter: the rows of the chosen kecamatan only.
  const district = await mine.getByTestId('device-district').innerText();
  const labels = await page.getByTestId('district-filter').locator('option').allInnerTexts();
  expect(labels.length).toBeGreaterThan(2);
  await page.getByTestId('district-filter').selectOption({ label: district });
  await expect(rows).toHaveCount(expected(district));
  await expect(mine).toHaveCount(1);
  const other = labels.slice(1).find((l) => l !== district)!;
  await page.getByTestId('district-filter').selectOption({ label: other });
  await expect(rows).toHaveCount(expected(other));
  await expect(mine).toHaveCount(0);
  await page.getByTestId('district-filter').selectOption({ index: 0 });
  await expect(rows).toHaveCount(total);

  // Sorting by a column and back.
  await page.getByTestId('sort-backlog').click();
  await expect(page.getByTestId('sort-backlog')).toContainText('▲');
  await page.getByTestId('sort-backlog').click();
  await expect(page.getByTestId('sort-backlog')).toContainText('▼');

  // Threshold 0 days: every device is silent; remembered after a reload.
  await page.getByTestId('silent-days').fill('0');
  await page.getByTestId('silent-days').press('Enter');
  await expect(page.locator('[data-testid=device-row][data-silent=true]')).toHaveCount(total);
  await page.reload();
  await expect(page.getByTestId('silent-days')).toHaveValue('0');
  await expect(page.locator('[data-testid=device-row][data-silent=true]')).toHaveCount(total);
});

test('a conflict is merged field by field with a preview and a reason', async ({ browser, baseURL, request }) => {
  const cadre = { authorization: `Bearer ${await token(request, 'kader.sipai', 'kader123')}` };
  const house = uuid();
  const body = (head: string, dusun: string) => ({ village_code: '63.03.05.2009', head_name: head, dusun });
  const [phoneA, phoneB] = [uuid(), uuid()];
  const push = (device: string, seq: number, base: number, data: object) =>
    request.post('/api/v1/sync/push', { headers: cadre, data: {
      device_id: device, mutations: [{ seq, entity: 'household', record_id: house, base_version: base, body: data }],
    } });
  await push(phoneA, 1, 0, body('Asal', 'Dusun Asal'));
  await push(phoneA, 2, 1, body('Versi A', 'Dusun A'));
  await push(phoneB, 1, 1, body('Versi B', 'Dusun B'));

  const page = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await page.getByTestId('nav-conflicts').click();
  await expect(page.getByTestId('diff-row')).toHaveCount(2);
  await page.getByTestId('start-merge').click();
  const head = page.locator('[data-testid=diff-row][data-field=head_name]');
  const dusun = page.locator('[data-testid=diff-row][data-field=dusun]');
  await head.getByTestId('use-incoming').click();
  await expect(head.getByTestId('merge-value')).toHaveValue('Versi B');
  await dusun.getByTestId('merge-value').fill('Dusun Gabungan');
  const preview = page.getByTestId('merge-preview');
  await expect(preview).toContainText('"head_name": "Versi B"');
  await expect(preview).toContainText('"dusun": "Dusun Gabungan"');
  await page.getByTestId('save-merge').click();
  await expect(page.getByTestId('conflict-error')).toContainText('Alasan wajib diisi');
  await page.getByTestId('conflict-reason').fill('Nama dari HP B, dusun dicek ke lapangan');
  await page.getByTestId('save-merge').click();
  await expect(page.getByTestId('no-conflicts')).toBeVisible();

  const pull = await (await request.get('/api/v1/sync/pull?limit=5000', { headers: cadre })).json();
  const stored = (pull.changes as Array<{ record_id: string; body: any }>).find((c) => c.record_id === house)!;
  expect(stored.body.head_name).toBe('Versi B');
  expect(stored.body.dusun).toBe('Dusun Gabungan');
});

test('aggregates drill down to the households of a village, with a trend chart, offline too', async ({ browser, baseURL }) => {
  const page = await signIn(browser, baseURL!, 'provinsi.kalsel', 'provinsi123');
  await page.getByTestId('nav-aggregates').click();
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  await expect(page.getByTestId('trend-chart').locator('text')).not.toHaveCount(0);
  await expect(page.locator('[data-testid=trend-point][data-series=tkd]')).not.toHaveCount(0);
  // Regency → kecamatan → village → households.
  await page.locator('[data-testid=aggregate-row][data-code="63.03"]').click();
  await expect(page.getByTestId('crumb')).toHaveCount(2);
  await page.locator('[data-testid=aggregate-row][data-code="63.03.05"]').click();
  await expect(page.getByTestId('crumb')).toHaveCount(3);
  await page.locator('[data-testid=aggregate-row][data-code="63.03.05.2009"]').click();
  await expect(page.getByTestId('crumb')).toHaveCount(4);
  await expect(page.getByTestId('household-list')).toBeVisible();
  await expect(page.getByTestId('drill-household').first()).toBeVisible();
  await expect(page.getByTestId('trend-chart')).toBeVisible();

  // Offline: the same level comes from the cache with its age.
  await page.context().setOffline(true);
  await page.getByTestId('crumb').nth(2).click();
  await page.locator('[data-testid=aggregate-row][data-code="63.03.05.2009"]').click();
  await expect(page.getByTestId('cached-note')).toBeVisible();
  await expect(page.getByTestId('drill-household').first()).toBeVisible();
  // Back to the top.
  await page.getByTestId('crumb').first().click();
  await expect(page.locator('[data-testid=aggregate-row][data-code="63.03"]')).toBeVisible();
});

test('after the switch to English the desk writes server messages, dates and figures in English', async ({ browser, baseURL, request }) => {
  // A phone's heartbeat (a last contact to show) and two phones' edits of one household.
  const cadre = { authorization: `Bearer ${await token(request, 'kader.sipai', 'kader123')}` };
  const house = uuid();
  const [phoneA, phoneB] = [uuid(), uuid()];
  const push = (device: string, seq: number, base: number, head: string) =>
    request.post('/api/v1/sync/push', { headers: cadre, data: {
      device_id: device, heartbeat: { outbox_size: 0, oldest_pending_secs: 0 },
      mutations: [{ seq, entity: 'household', record_id: house, base_version: base, body: { village_code: '63.03.05.2009', head_name: head } }],
    } });
  await push(phoneA, 1, 0, 'Asal');
  await push(phoneA, 2, 1, 'Versi A');
  await push(phoneB, 1, 1, 'Versi B');

  const page = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  const contact = page.getByTestId('device-row').first().locator('td').nth(2);
  // Indonesian writes the time with dots (22.05.33), British English with colons (22:05:33).
  await expect(contact).toContainText(/\d{1,2}\/\d{1,2}\/\d{4}, \d{2}\.\d{2}\.\d{2}/);
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('nav-status')).toHaveText('Sync status');
  await expect(contact).toContainText(/\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2}/);

  // The server's refusal, in the language chosen.
  await page.getByTestId('nav-conflicts').click();
  await page.getByTestId('take-incoming').click();
  await expect(page.getByTestId('conflict-error')).toContainText('A reason is required');
  await expect(page.getByTestId('conflict-error')).not.toContainText('Alasan');

  // The province's figures: a decimal point in English, a decimal comma in Indonesian.
  const province = await signIn(browser, baseURL!, 'provinsi.kalsel', 'provinsi123', 'nav-overview');
  const completeness = province.getByTestId('overview-row-63.03').getByTestId('overview-completeness');
  await expect(completeness).toContainText(/\d,\d %/);
  await province.getByTestId('lang-switch').click();
  await expect(completeness).toContainText(/\d\.\d %/);
});
