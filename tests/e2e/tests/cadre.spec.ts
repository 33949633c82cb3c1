// A cadre's day on a phone: sign in once online, then work offline, reload, and sync when
// the network returns. Runs the real wasm app against the real server.
import { test, expect } from './server';
import type { Page, APIRequestContext } from '@playwright/test';

async function signIn(page: Page, username = 'kader.sipai', password = 'kader123') {
  await page.goto('/');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('add-household')).toBeVisible();
}

async function serverRecords(request: APIRequestContext) {
  const login = await request.post('/api/v1/auth/login', { data: { username: 'kader.sipai', password: 'kader123' } });
  const { token } = await login.json();
  const pull = await request.get('/api/v1/sync/pull?limit=5000', { headers: { authorization: `Bearer ${token}` } });
  const body = await pull.json();
  return body.changes as Array<{ entity: string; record_id: string; body: any }>;
}

function today(offsetDays = 0): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return date.toISOString().slice(0, 10);
}

test('offline registration, measurement and reload survive, then sync exactly once', async ({ page, context, request }) => {
  await signIn(page);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');
  // Phone-first: nothing wider than the 360 px screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // After the first sync the phone keeps the full module (the scorecard) for offline use.
  await page.waitForFunction(async () => Boolean(await caches.match('/scorecard/index.html')));

  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'offline', { timeout: 20_000 });

  // A household, checked before saving.
  await page.getByTestId('add-household').click();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('error-head_name')).toHaveText('Wajib diisi');
  await page.getByTestId('field-family_card_no').fill('123');
  await page.getByTestId('field-head_name').fill('Keluarga Uji Luring');
  await page.getByTestId('field-rt').fill('3');
  await page.getByTestId('field-rw').fill('1');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('error-family_card_no')).toHaveText('Harus 16 digit angka');
  await page.getByTestId('field-family_card_no').fill('');
  await page.getByTestId('field-safe_water-Y').check();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('add-pregnant')).toBeVisible();

  // A pregnant woman.
  await page.getByTestId('add-pregnant').click();
  await page.getByTestId('field-name').fill('Siti Rahmah');
  await page.getByTestId('field-lmp_date').fill(today(-120));
  await page.getByTestId('field-status-kek').check();
  await page.getByTestId('save').click();

  // A child, then a measurement with its z-score shown at once.
  await page.getByTestId('add-child').click();
  await page.getByTestId('field-name').fill('Ani');
  await page.getByTestId('field-sex-F').check();
  await page.getByTestId('field-birth_date').fill(today(-365));
  await page.getByTestId('save').click();
  await expect(page.getByTestId('member-row')).toHaveCount(2);
  await page.getByTestId('measure').click();
  await page.getByTestId('field-weight_kg').fill('7,0');
  await page.getByTestId('field-length_cm').fill('64.0');
  await expect(page.getByTestId('z-haz')).toContainText('-3.89');
  await expect(page.getByTestId('category-haz')).toHaveText('Sangat pendek');
  // Read as words, not one letter per line: the result keeps its room beside a long label.
  for (const [name, part] of [['z', page.getByTestId('z-haz').locator('.z')], ['category', page.getByTestId('category-haz')]] as const) {
    const box = await part.boundingBox();
    expect(box!.width, name).toBeGreaterThan(30);
    expect(box!.height, name).toBeLessThan(60);
  }
  await expect(page.getByTestId('z-waz')).toContainText('-2.05');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('add-pregnant')).toBeVisible();
  await expect(page.getByTestId('pending-count')).toHaveText('4');
  // The growth charts show the saved measurement against the WHO lines.
  await page.getByTestId('measure').click();
  await expect(page.getByTestId('chart-lfa')).toBeVisible();
  await expect(page.getByTestId('chart-lfa').getByTestId('chart-point')).toHaveCount(1);
  await expect(page.getByTestId('chart-wfa').getByTestId('chart-point')).toHaveCount(1);
  await page.getByTestId('back').click();

  // This month's checklist of the child.
  await page.locator('li.member', { hasText: 'Ani' }).getByTestId('monthly').click();
  await page.getByTestId('item-nutrition_status-N').click();
  await page.getByTestId('item-weighed-Y').click();
  await page.getByTestId('item-clean_water-Y').click();
  await page.getByTestId('item-latrine-T').click();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('add-pregnant')).toBeVisible();
  await expect(page.getByTestId('pending-count')).toHaveText('5');

  // The village scorecard is computed on the phone, offline.
  await page.getByTestId('nav-scorecard').click();
  await expect(page.getByTestId('t3-AN-2')).toBeVisible();
  await expect(page.getByTestId('tkd-total')).toContainText('%');

  // Reload with no network: the app, the screen and the data are still there.
  await page.reload();
  await expect(page.getByTestId('t3-AN-2')).toBeVisible();
  await page.getByTestId('nav-home').click();
  await page.getByTestId('search').fill('Uji Luring');
  await expect(page.getByTestId('household-row')).toHaveCount(1);
  await expect(page.getByTestId('row-pending')).toHaveCount(1);
  await expect(page.getByTestId('pending-count')).toHaveText('5');

  // Back online: sync runs by itself.
  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  await expect(page.getByTestId('pending-count')).toHaveText('0');
  await page.getByTestId('nav-sync').click();
  await expect(page.getByTestId('receipt')).toHaveCount(5);
  await expect(page.locator('[data-testid=receipt][data-status=applied]')).toHaveCount(5);

  const records = await serverRecords(request);
  const households = records.filter((r) => r.entity === 'household' && r.body.head_name === 'Keluarga Uji Luring');
  expect(households).toHaveLength(1);
  expect(households[0].body.rt).toBe('003');
  const house = households[0].record_id;
  const members = records.filter((r) => r.body?.household_id === house).map((r) => r.entity).sort();
  expect(members).toEqual(['child', 'pregnant_woman']);
  const child = records.find((r) => r.entity === 'child' && r.body.household_id === house)!;
  const measurements = records.filter((r) => r.entity === 'measurement' && r.body.child_id === child.record_id);
  expect(measurements).toHaveLength(1);
  expect(measurements[0].body.weight_kg).toBe(7);
  const checklists = records.filter((r) => r.entity === 'form2b' && r.body.person_id === child.record_id);
  expect(checklists).toHaveLength(1);
  expect(checklists[0].body.weighed).toBe('Y');
  expect(checklists[0].body.latrine).toBe('T');
});

test('the interface switches to English and back', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('login-submit')).toHaveText('Masuk');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('login-submit')).toHaveText('Sign in');
});

test('a wrong password is refused in Bahasa Indonesia', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('login-username').fill('kader.bincau');
  await page.getByTestId('login-password').fill('salah');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('Nama pengguna atau kata sandi salah');
});

test('a PAUD child and its monthly attendance reach the server', async ({ page, request }) => {
  await signIn(page);
  await page.getByTestId('add-household').click();
  await page.getByTestId('field-head_name').fill('Keluarga PAUD');
  await page.getByTestId('save').click();
  await page.getByTestId('add-paud').click();
  await page.getByTestId('field-name').fill('Dimas');
  await page.getByTestId('field-sex-M').check();
  await page.getByTestId('field-birth_date').fill(today(-3 * 365));
  await page.getByTestId('save').click();
  await page.locator('li.member', { hasText: 'Dimas' }).getByTestId('monthly').click();
  await page.getByTestId('item-attendance-attending').click();
  await page.getByTestId('save').click();
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
  const records = await serverRecords(request);
  const paud = records.find((r) => r.entity === 'paud_child' && r.body.name === 'Dimas')!;
  const forms = records.filter((r) => r.entity === 'form2c' && r.body.person_id === paud.record_id);
  expect(forms).toHaveLength(1);
  expect(forms[0].body.attendance).toBe('attending');
});
