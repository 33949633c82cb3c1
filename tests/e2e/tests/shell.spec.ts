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
