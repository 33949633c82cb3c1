// The cadre's forms check with the rules the server runs (konvergen_shared::records), show each
// problem under its input in the chosen language, and keep what was typed; a refusal from the
// server is shown in the server's own words, in the chosen language too.
import { test, expect } from './server';
import { signIn, addHousehold, serverChanges } from './phone';

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

test('a child older than 23 months is refused at registration, in both languages, and nothing typed is lost', async ({ page, request }) => {
  await signIn(page);
  await addHousehold(page, 'Keluarga Uji Formulir');
  await page.getByTestId('add-child').click();
  await page.getByTestId('field-name').fill('Budi Santoso');
  await page.getByTestId('field-sex-M').check();
  // About 24 months old: the shared register rule allows 0-23 at registration.
  await page.getByTestId('field-birth_date').fill(daysAgo(740));
  await page.getByTestId('field-nik').fill('123');
  await page.getByTestId('save').click();

  const birthError = page.getByTestId('error-birth_date');
  await expect(birthError).toHaveText('Saat didaftarkan umur harus 0-23 bulan');
  await expect(page.getByTestId('error-nik')).toHaveText('Harus 16 digit angka');
  // The message wraps inside the 360 px screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  await page.getByTestId('lang-switch').click();
  await expect(birthError).toHaveText('At registration the age must be 0-23 months');
  await expect(page.getByTestId('error-nik')).toHaveText('Must be 16 digits');
  await expect(page.getByTestId('field-name')).toHaveValue('Budi Santoso');
  await expect(page.getByTestId('field-sex-M')).toBeChecked();
  await expect(page.getByTestId('field-birth_date')).toHaveValue(daysAgo(740));
  await expect(page.getByTestId('field-nik')).toHaveValue('123');

  // Corrected, it saves and reaches the server as the shared Child body.
  await page.getByTestId('field-birth_date').fill(daysAgo(300));
  await page.getByTestId('field-nik').fill('');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  const child = (await serverChanges(request)).find((r) => r.entity === 'child' && r.body.name === 'Budi Santoso');
  expect(child?.body).toMatchObject({ sex: 'M', birth_date: daysAgo(300), birth_certificate: false });
});

test('the server refusing a sign-in is shown in its own words, in the chosen language', async ({ page }) => {
  await page.goto('/');
  // A wrong password: the server's 401 message.
  await page.getByTestId('login-username').fill('kader.sipai');
  await page.getByTestId('login-password').fill('salah sekali');
  await page.getByTestId('login-submit').click();
  const error = page.getByTestId('login-error');
  await expect(error).toHaveText('Nama pengguna atau kata sandi salah');
  await page.getByTestId('lang-switch').click();
  await expect(error).toHaveText('Wrong username or password');

  // No name at all: the server's field message, which only the server has.
  await page.getByTestId('login-username').fill('');
  await page.getByTestId('login-submit').click();
  await expect(error).toHaveText('Username is required');
  await page.getByTestId('lang-switch').click();
  await expect(error).toHaveText('Nama pengguna wajib diisi');
});
