// One phone, several accounts (issue #13): signing out takes the account's token off the phone
// and has the server revoke it; removing the account's data leaves nothing of it behind (and
// says first how many unsent changes it would lose); the desk's offline copies belong to one
// supervisor; offline sign-in still needs the right password.
//
// Screenshots of the sign-out dialog are written when KONVERGEN_SHOTS names a folder.
import { test, expect } from './server';
import type { Page, APIRequestContext } from '@playwright/test';
import { addHousehold, serverChanges } from './phone';

const shots = process.env.KONVERGEN_SHOTS;

async function shoot(page: Page, name: string) {
  if (!shots) return;
  for (const [width, height] of [[360, 640], [1280, 800]]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${shots}/${name}-${width}x${height}.png` });
  }
  await page.setViewportSize({ width: 360, height: 640 });
}

async function submitLogin(page: Page, username: string, password: string) {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs in online and returns the token the server answered with. The answer is read on
 * its way to the page: a desk account navigates to /desk/ at once, after which the browser
 * no longer keeps the body. */
async function signInOnline(page: Page, username: string, password: string): Promise<string> {
  let token = '';
  await page.route('**/api/v1/auth/login', async (route) => {
    const response = await route.fetch();
    expect(response.status()).toBe(200);
    token = (await response.json()).token as string;
    await route.fulfill({ response });
  });
  await submitLogin(page, username, password);
  await expect.poll(() => token).not.toBe('');
  await page.unroute('**/api/v1/auth/login');
  return token;
}

/** Everything the origin keeps, as text: every localStorage entry and every record of every
 * IndexedDB database (a CryptoKey shows as such, with its extractable flag). */
async function storedEverything(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      parts.push(`localStorage ${key} = ${localStorage.getItem(key)}`);
    }
    const done = <T,>(request: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const show = (_key: string, value: unknown) =>
      value instanceof CryptoKey ? `CryptoKey(extractable=${value.extractable})` : value;
    for (const { name } of await indexedDB.databases()) {
      const db = await done(indexedDB.open(name!));
      for (const store of Array.from(db.objectStoreNames)) {
        const objects = db.transaction(store).objectStore(store);
        const keys = await done(objects.getAllKeys());
        const values = await done(objects.getAll());
        parts.push(`indexedDB ${name}/${store} ${JSON.stringify(keys)} ${JSON.stringify(values, show)}`);
      }
      db.close();
    }
    return parts.join('\n');
  });
}

/** Opens the sealed blob of `username` the way the app does: PBKDF2-SHA256 over the password
 * with the blob's salt and rounds, then AES-GCM-256; `null` when the tag check fails. */
async function openBlob(page: Page, username: string, password: string) {
  return page.evaluate(async ([username, password]) => {
    const text = localStorage.getItem(`konvergen.sealed.${username}`);
    if (!text) return { rounds: 0, saltBytes: 0, ivBytes: 0, plain: null };
    const [rounds, salt, iv, data] = text.split('.');
    const shape = { rounds: Number(rounds), saltBytes: salt.length / 2, ivBytes: iv.length / 2 };
    const bytes = (hex: string) => new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16)));
    const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: bytes(salt), iterations: Number(rounds) },
      base, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes(iv) }, key, bytes(data));
      return { ...shape, plain: new TextDecoder().decode(plain) as string | null };
    } catch {
      return { ...shape, plain: null };
    }
  }, [username, password]);
}

async function databases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name!));
}

async function meStatus(request: APIRequestContext, token: string): Promise<number> {
  return (await request.get('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } })).status();
}

test('signing out with the data removed leaves nothing of the cadre on the phone, and the server refuses the token', async ({ page, context, request }) => {
  await page.goto('/');
  const token = await signInOnline(page, 'kader.sipai', 'kader123');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');
  // Signed in: the token is on the phone as ciphertext only, its key a non-extractable CryptoKey.
  let stored = await storedEverything(page);
  expect(stored).not.toContain(token);
  expect(stored).toContain('CryptoKey(extractable=false)');
  expect(stored).not.toContain('extractable=true');
  expect(await meStatus(request, token)).toBe(200);

  await addHousehold(page, 'Keluarga Rahasia Sipai');
  await expect(page.getByTestId('pending-count')).toHaveText('0');
  // One more, which cannot be sent: the server's sync door is shut.
  await page.route('**/api/v1/sync/**', (route) => route.abort('connectionrefused'));
  await addHousehold(page, 'Keluarga Belum Terkirim');
  await expect(page.getByTestId('pending-count')).toHaveText('1');

  // The first question says the unsent change is safe if the data stays; cancelling changes nothing.
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('signout-confirm')).toBeVisible();
  await expect(page.getByTestId('signout-unsent')).toContainText('Perubahan belum terkirim: 1.');
  await shoot(page, 'signout-ask');
  await page.getByTestId('signout-cancel').click();
  await expect(page.getByTestId('signout-confirm')).toHaveCount(0);
  await expect(page.getByTestId('add-pregnant')).toBeVisible();

  // Removing the data is asked once more, naming what would be lost.
  await page.getByTestId('logout').click();
  await page.getByTestId('signout-remove').click();
  await expect(page.getByTestId('signout-remove-confirm')).toBeVisible();
  await expect(page.getByTestId('signout-loss')).toContainText('perubahan belum terkirim (1) akan hilang');
  await shoot(page, 'signout-remove');
  await page.getByTestId('signout-remove-yes').click();
  await expect(page.getByTestId('login-form')).toBeVisible();
  await page.unroute('**/api/v1/sync/**');

  // The server refuses the token; nothing of the account is left in storage.
  expect(await meStatus(request, token)).toBe(401);
  await expect.poll(() => databases(page)).not.toContain('konvergen-kader.sipai');
  await expect.poll(() => storedEverything(page)).not.toContain('kader.sipai');
  stored = await storedEverything(page);
  expect(stored).not.toContain(token);
  expect(stored).not.toContain('Rahasia');
  expect(stored).not.toContain('CryptoKey');
  // What was sent is safe at the server; what was not is gone, as the dialog said.
  const heads = (await serverChanges(request)).map((c) => c.body?.head_name);
  expect(heads).toContain('Keluarga Rahasia Sipai');
  expect(heads).not.toContain('Keluarga Belum Terkirim');

  // Offline, the removed account is unknown: its next sign-in must be online.
  await context.setOffline(true);
  await submitLogin(page, 'kader.sipai', 'kader123');
  await expect(page.getByTestId('login-error')).toHaveText('Tidak ada jaringan. Masuk pertama kali di ponsel ini harus daring.');
  await context.setOffline(false);

  // The next cadre sees none of it.
  await signInOnline(page, 'kader.bincau', 'kader123');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('household-row').first()).toBeVisible();
  await expect(page.getByText('Keluarga Rahasia Sipai')).toHaveCount(0);
  expect(await storedEverything(page)).not.toContain('Rahasia');
});

test('after a sign-out the cadre signs in offline with the right password only, and syncs once online', async ({ page, context, request }) => {
  await page.goto('/');
  const first = await signInOnline(page, 'kader.sipai', 'kader123');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await addHousehold(page, 'Keluarga Sebelum Keluar');
  await expect(page.getByTestId('pending-count')).toHaveText('0');
  // Signed in, the blob holds the token, sealed under 600,000 rounds of PBKDF2 with a 16-byte
  // salt and a 12-byte IV; a wrong password does not open it.
  const sealed = await openBlob(page, 'kader.sipai', 'kader123');
  expect(sealed).toMatchObject({ rounds: 600_000, saltBytes: 16, ivBytes: 12 });
  expect(sealed.plain?.startsWith(`${first}\n`)).toBe(true);
  expect((await openBlob(page, 'kader.sipai', 'kader124')).plain).toBeNull();

  await page.getByTestId('logout').click();
  await page.getByTestId('signout-keep').click();
  await expect(page.getByTestId('login-form')).toBeVisible();
  expect(await meStatus(request, first)).toBe(401);
  // Signed out, it still proves the password but holds no token.
  const resealed = await openBlob(page, 'kader.sipai', 'kader123');
  expect(resealed.plain?.startsWith('\n{')).toBe(true);
  expect(resealed.plain).toContain('"username":"kader.sipai"');
  const stored = await storedEverything(page);
  expect(stored).not.toContain(first);
  expect(stored).not.toContain('CryptoKey');
  expect(await databases(page)).toContain('konvergen-kader.sipai');

  await context.setOffline(true);
  await submitLogin(page, 'kader.sipai', 'salah-sekali');
  await expect(page.getByTestId('login-error')).toHaveText('Nama pengguna atau kata sandi salah');
  await expect(page.getByTestId('add-household')).toHaveCount(0);
  await page.getByTestId('login-password').fill('kader123');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('add-household')).toBeVisible();
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('household-row').filter({ hasText: 'Keluarga Sebelum Keluar' })).toBeVisible();
  await addHousehold(page, 'Keluarga Luring Setelah Keluar');
  await expect(page.getByTestId('pending-count')).toHaveText('1');

  // Online again, the app signs in by itself (the password was kept in memory only) and sends it.
  const renewal = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await context.setOffline(false);
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('sync-now').click();
  const renewed = (await (await renewal).json()).token as string;
  await expect(page.getByTestId('pending-count')).toHaveText('0', { timeout: 20_000 });
  const heads = (await serverChanges(request)).map((c) => c.body?.head_name);
  expect(heads).toContain('Keluarga Luring Setelah Keluar');
  expect(await storedEverything(page)).not.toContain(renewed);

  // A reload keeps the cadre signed in, without the password.
  await page.reload();
  // Still signed in, and still on the sync screen the cadre was on.
  await expect(page.getByTestId('sync-now')).toBeVisible();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');
});

test('the desk keeps its offline copies per supervisor and drops them at sign-out', async ({ page, context, request }) => {
  // A conflict in Banjar (as in desk.spec.ts), so the queue has something to cache.
  const login = await request.post('/api/v1/auth/login', { data: { username: 'kader.sipai', password: 'kader123' } });
  const cadre = { authorization: `Bearer ${(await login.json()).token}` };
  const house = crypto.randomUUID();
  const [phoneA, phoneB] = [crypto.randomUUID(), crypto.randomUUID()];
  const push = (device: string, seq: number, base: number, head: string) =>
    request.post('/api/v1/sync/push', { headers: cadre, data: { device_id: device, mutations: [
      { seq, entity: 'household', record_id: house, base_version: base, body: { village_code: '63.03.05.2009', head_name: head } },
    ] } });
  await push(phoneA, 1, 0, 'Asal');
  await push(phoneA, 2, 1, 'Versi Banjar A');
  await push(phoneB, 1, 1, 'Versi Banjar B');

  await page.goto('/');
  const token = await signInOnline(page, 'supervisor.banjar', 'supervisor123');
  await expect(page.getByTestId('nav-status')).toBeVisible();
  await page.getByTestId('nav-conflicts').click();
  await expect(page.getByTestId('conflict')).toHaveCount(1);
  const keys = await page.evaluate(() => Object.keys(localStorage));
  expect(keys).toContain('konvergen.cache.supervisor.banjar/api/v1/supervision/conflicts');
  expect(keys.filter((k) => k.startsWith('konvergen.cache.') && !k.startsWith('konvergen.cache.supervisor.banjar/'))).toEqual([]);

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('signout-confirm')).toContainText('Data wilayah yang disimpan untuk dibuka luring dihapus');
  await page.getByTestId('signout-keep').click();
  await expect(page.getByTestId('login-form')).toBeVisible();
  expect(await meStatus(request, token)).toBe(401);
  const stored = await storedEverything(page);
  expect(stored).not.toContain(token);
  expect(stored).not.toContain('konvergen.cache.');
  expect(stored).not.toContain('Versi Banjar');

  // The next supervisor on this phone, offline: the conflict queue Banjar loaded is not there.
  await signInOnline(page, 'supervisor.tapin', 'supervisor123');
  await expect(page.getByTestId('device-table')).toBeVisible();
  await context.setOffline(true);
  await page.getByTestId('nav-conflicts').click();
  await expect(page.getByTestId('conflicts-view').getByRole('alert')).toBeVisible();
  await expect(page.getByTestId('conflict')).toHaveCount(0);
  await expect(page.getByText('Versi Banjar B')).toHaveCount(0);
  // Tapin's own copies still serve offline.
  await page.getByTestId('nav-status').click();
  await expect(page.getByTestId('cached-note')).toBeVisible();
  await expect(page.getByTestId('device-table')).toBeVisible();
});

test('removing the data in one tab signs the other tab out too, and the database still goes', async ({ context }) => {
  const first = await context.newPage();
  await first.goto('/');
  await signInOnline(first, 'kader.sipai', 'kader123');
  await expect(first.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByTestId('add-household')).toBeVisible();

  await first.getByTestId('logout').click();
  await first.getByTestId('signout-remove').click();
  await first.getByTestId('signout-remove-yes').click();
  await expect(first.getByTestId('login-form')).toBeVisible();
  // The other tab reloads to the sign-in form, which closes its hold on the database.
  await expect(second.getByTestId('login-form')).toBeVisible();
  await expect(second.getByTestId('add-household')).toHaveCount(0);
  await expect.poll(() => databases(first)).not.toContain('konvergen-kader.sipai');
});

test('an account remembered in the old format loses its token and verifier on upgrade, and keeps its device id', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByTestId('login-form')).toBeVisible();
  const device = crypto.randomUUID();
  // What the previous version kept: the token in the clear next to a SHA-256 verifier.
  await page.evaluate((device) => {
    const me = { id: 1, username: 'kader.sipai', display_name: 'Lama', role: 'cadre', areas: [] };
    localStorage.setItem('konvergen.accounts', JSON.stringify({
      'kader.sipai': { session: { me, token: 'token-lama-di-ponsel', device_id: device }, salt: 'garam', verifier: 'ab'.repeat(32) },
    }));
    localStorage.setItem('konvergen.current', 'kader.sipai');
    localStorage.setItem('konvergen.cache./api/v1/supervision/conflicts', '{"at":1,"data":[]}');
  }, device);
  await page.reload();
  await expect(page.getByTestId('login-form')).toBeVisible();
  const stored = await storedEverything(page);
  expect(stored).not.toContain('token-lama-di-ponsel');
  expect(stored).not.toContain('verifier');
  expect(stored).not.toContain('konvergen.cache.');
  expect(stored).not.toContain('konvergen.current');
  expect(stored).toContain(`localStorage konvergen.device.kader.sipai = ${device}`);

  // Nothing cheap to check a password against: offline the account is unknown until it has
  // signed in online once, and then it syncs under the device id it had.
  await context.setOffline(true);
  await submitLogin(page, 'kader.sipai', 'kader123');
  await expect(page.getByTestId('login-error')).toHaveText('Tidak ada jaringan. Masuk pertama kali di ponsel ini harus daring.');
  await context.setOffline(false);
  const pull = page.waitForRequest((r) => r.url().includes('/api/v1/sync/pull'));
  await page.getByTestId('login-submit').click();
  expect(new URL((await pull).url()).searchParams.get('device_id')).toBe(device);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'synced');
});
