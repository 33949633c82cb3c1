import { test, expect } from './server';

test('the app shell renders on a phone and shows the server as online', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('app-name')).toHaveText('konvergen');
  const connection = page.getByTestId('connection');
  await expect(connection).toHaveAttribute('data-status', 'online');
  await expect(connection).toHaveText('Daring');
  const viewport = page.viewportSize();
  expect(viewport).toEqual({ width: 360, height: 640 });
});

test('the badge turns offline when the server stops answering', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online');
  // Fail health probes from now on, as a dead server or a captive portal would.
  await page.route('**/api/v1/health', (route) => route.abort('connectionrefused'));
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
  await expect(page.getByTestId('connection')).toHaveText('Luring');
});

test('client-side routes fall back to index.html and API errors keep their JSON shape', async ({ request }) => {
  const page = await request.get('/some/client/route');
  expect(page.status()).toBe(200);
  expect(page.headers()['cache-control']).toBe('no-cache');
  expect(await page.text()).toContain('<title>konvergen</title>');
  const missing = await request.get('/api/v1/does-not-exist');
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toMatchObject({ error: 'no_such_endpoint' });
});

test('sign-in refusals read as what they are: a wrong or overlong name, a limit, a busy server', async ({ page }) => {
  await page.goto('/');
  const signIn = async (username: string) => {
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('kader123');
    await page.getByTestId('login-submit').click();
  };
  // A name longer than any account (the server answers 422 before any work).
  await signIn('k'.repeat(65));
  await expect(page.getByTestId('login-error')).toHaveText('Nama pengguna paling panjang 64 karakter');
  // A server verifying too many sign-ins at once answers 503 with Retry-After: an account
  // never seen on this phone is told to try again, not that it never signed in here.
  await page.route('**/api/v1/auth/login', (route) =>
    route.fulfill({ status: 503, headers: { 'retry-after': '2' }, contentType: 'application/json',
      body: JSON.stringify({ error: 'busy', message: 'Server sedang sibuk', message_en: 'busy', fields: [] }) }));
  await signIn('kader.sipai');
  // The server's own words, as it sent them.
  await expect(page.getByTestId('login-error')).toHaveText('Server sedang sibuk');
});
