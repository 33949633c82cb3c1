// Evidence files on a phone-sized desk: attached offline, kept through a reload, sent once
// when the network is back, and opened by the province in another browser.
import { test, expect } from './server';
import { signInToDesk } from './desk-session';
import type { Browser, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const signIn = signInToDesk;

/** Every stored blob (blobs/ab/cd/<hash>), not counting uploads in progress. */
function storedBlobs(dataDir: string): string[] {
  const root = join(dataDir, 'blobs');
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'tmp') walk(path);
      } else {
        found.push(path);
      }
    }
  };
  if (existsSync(root)) walk(root);
  return found;
}

/** A 3000x2000 JPEG of 6 megapixels, drawn by the browser (noise, so it does not compress away). */
async function cameraPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(3000, 2000);
    const context = canvas.getContext('2d')!;
    const gradient = context.createLinearGradient(0, 0, 3000, 2000);
    gradient.addColorStop(0, '#0f6b4f');
    gradient.addColorStop(1, '#f4c542');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 3000, 2000);
    for (let i = 0; i < 4000; i++) {
      context.fillStyle = `hsl(${i % 360} 70% 50%)`;
      context.fillRect((i * 7919) % 3000, (i * 104729) % 2000, 24, 24);
    }
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('a photo and a PDF attached offline survive a reload and reach the province once', async ({ browser, baseURL, server }) => {
  const district = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await district.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await district.getByTestId('nav-actions').click();
  await expect(district.getByTestId('checklist-status')).toHaveAttribute('data-status', 'draft');
  const photo = await cameraPhoto(district);

  // Offline: a photo from the camera and a PDF on the first item.
  await district.context().setOffline(true);
  const item = district.getByTestId('evidence-item').first();
  const key = await item.getAttribute('data-key');
  const itemNamed = () => district.locator(`[data-testid=evidence-item][data-key="${key}"]`);
  await item.getByTestId('photo-input').setInputFiles({ name: 'kegiatan.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(itemNamed().getByTestId('file-card')).toHaveCount(1);
  await itemNamed().getByTestId('file-input').setInputFiles({ name: 'perbup-stunting.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(itemNamed().getByTestId('file-card')).toHaveCount(2);
  // The same photo again: still one photo.
  await itemNamed().getByTestId('file-input').setInputFiles({ name: 'kegiatan-lagi.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(itemNamed().getByTestId('file-error')).toHaveCount(0);
  await expect(itemNamed().getByTestId('file-card')).toHaveCount(2);

  await district.reload();
  await district.getByTestId('nav-actions').click();
  const cards = itemNamed().getByTestId('file-card');
  await expect(cards).toHaveCount(2);
  for (const card of await cards.all()) {
    await expect(card).toHaveAttribute('data-state', 'waiting');
    await expect(card.getByTestId('file-state')).toHaveText('Menunggu dikirim');
  }
  await expect(district.getByTestId('files-on-device')).toContainText('2');
  // The photo was scaled down on the phone: its stored copy is much smaller than the original.
  const photoCard = itemNamed().locator('[data-testid=file-card]').filter({ hasText: 'kegiatan.jpg' });
  const photoHash = await photoCard.getAttribute('data-sha256');
  expect(photoHash).not.toBe(sha256(photo));
  expect(storedBlobs(server.dataDir)).toHaveLength(0);

  // Online: both go up once and the item names them as delivered.
  await district.context().setOffline(false);
  await expect(itemNamed().locator('[data-testid=file-card][data-state=on-server][data-not-saved=false]')).toHaveCount(2, { timeout: 30_000 });
  await expect.poll(() => storedBlobs(server.dataDir).length).toBe(2);
  const pdfPath = storedBlobs(server.dataDir).find((path) => path.endsWith(sha256(PDF)));
  expect(pdfPath, 'the PDF is stored under its own hash').toBeTruthy();
  expect(readFileSync(pdfPath!).equals(PDF)).toBe(true);

  // The province opens both in another browser.
  const province = await signIn(browser, baseURL!, 'provinsi.kalsel', 'provinsi123');
  await province.getByTestId('nav-actions').click();
  const seen = province.locator(`[data-testid=evidence-item][data-key="${key}"] [data-testid=file-card]`);
  await expect(seen).toHaveCount(2);
  await expect(seen.first()).toHaveAttribute('data-state', 'on-server');
  const photoSeen = seen.filter({ hasText: 'kegiatan.jpg' });
  await expect(photoSeen.locator('img.thumb')).toBeVisible();
  await photoSeen.getByTestId('file-open').click();
  const full = province.getByTestId('viewer-image');
  await expect(full).toBeVisible();
  const size = await full.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
  expect(size).toEqual([1600, 1067]);
  await province.getByTestId('viewer-close').click();

  const pdfSeen = seen.filter({ hasText: 'perbup-stunting.pdf' });
  const popup = province.context().waitForEvent('page', { timeout: 5_000 }).catch(() => null);
  await pdfSeen.getByTestId('file-open').click();
  const link = province.getByTestId('viewer-pdf');
  await expect(link).toBeVisible();
  // The browser's viewer got the PDF in a new tab (a link stays in case it was blocked) ...
  const tab = await popup;
  expect(tab?.url() ?? (await link.getAttribute('href'))).toMatch(/^blob:/);
  await tab?.close();
  // ... and what it holds is the very file the district attached.
  const download = province.waitForEvent('download');
  await province.getByTestId('viewer-pdf-download').click();
  const saved = await (await download).path();
  expect(sha256(readFileSync(saved))).toBe(sha256(PDF));
  expect((await download).suggestedFilename()).toBe('perbup-stunting.pdf');

  // Opened once online, the photo opens again offline.
  await province.context().setOffline(true);
  await province.getByTestId('viewer-close').click();
  await province.getByTestId('nav-status').click();
  await province.getByTestId('nav-actions').click();
  await expect(province.getByTestId('cached-note')).toBeVisible();
  await province.locator(`[data-testid=evidence-item][data-key="${key}"] [data-testid=file-card]`)
    .filter({ hasText: 'kegiatan.jpg' }).getByTestId('file-open').click();
  await expect(province.getByTestId('viewer-image')).toBeVisible();
  expect(storedBlobs(server.dataDir)).toHaveLength(2);
});

test('a file the server refuses says why, and other types are refused on the phone', async ({ browser, baseURL }) => {
  const district = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await district.getByTestId('nav-actions').click();
  const item = district.getByTestId('evidence-item').first();
  await item.getByTestId('file-input').setInputFiles({ name: 'catatan.txt', mimeType: 'text/plain', buffer: Buffer.from('bukan bukti') });
  await expect(item.getByTestId('file-error')).toContainText('Hanya foto');
  // Named and typed as a PDF, but it is not one: the server's sniffing refuses it for good;
  // the card says so and the file can be taken off the item.
  await item.getByTestId('file-input').setInputFiles({ name: 'palsu.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>bukan pdf</html>') });
  const refused = item.locator('[data-testid=file-card][data-state=refused]');
  await expect(refused).toHaveCount(1, { timeout: 20_000 });
  await expect(refused.getByTestId('file-state')).toHaveText('Ditolak server');
  await refused.getByTestId('file-remove').click();
  await expect(item.getByTestId('file-card')).toHaveCount(0);
});

test('low storage is said before a file is stored, and a full device stores nothing', async ({ browser, baseURL }) => {
  const district = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  // The browser's storage report, made to say what a nearly full phone says. Filling this
  // machine's disk is not practical, and DevTools' quota override (Storage.overrideQuotaForOrigin)
  // is not seen by navigator.storage.estimate() in this Chromium; the app reads only that report.
  await district.addInitScript(() => {
    const real = navigator.storage.estimate.bind(navigator.storage);
    navigator.storage.estimate = async () => {
      const free = Number(localStorage.getItem('test.free-bytes') ?? 'NaN');
      const estimate = await real();
      return Number.isNaN(free) ? estimate : { ...estimate, quota: (estimate.usage ?? 0) + free };
    };
  });
  await district.reload();
  await district.getByTestId('nav-actions').click();
  const item = district.getByTestId('evidence-item').first();
  const setFree = (bytes: number) => district.evaluate((b) => localStorage.setItem('test.free-bytes', String(b)), bytes);

  await setFree(30_000_000);
  await item.getByTestId('file-input').setInputFiles({ name: 'notulen.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(item.getByTestId('storage-low')).toContainText('Ruang penyimpanan tinggal');
  await expect(item.getByTestId('file-card')).toHaveCount(1);
  // The next pick comes at once, while the item is being saved with the first file and the
  // checklist read again: the rows stay drawn through that, so the pick is not lost.

  await setFree(100);
  const other = Buffer.concat([PDF, Buffer.from('% lain\n')]);
  await item.getByTestId('file-input').setInputFiles({ name: 'lain.pdf', mimeType: 'application/pdf', buffer: other });
  await expect(item.getByTestId('file-error')).toContainText('hampir penuh');
  await expect(item.getByTestId('file-card')).toHaveCount(1);
  await expect(item.locator('[data-testid=file-card][data-not-saved=false]')).toHaveCount(1, { timeout: 20_000 });
  await expect(district.getByTestId('storage-low')).toHaveCount(1);
});

test('a file named by a record but not yet uploaded shows as on its way; removing the account removes its files', async ({ browser, baseURL, request }) => {
  const login = await request.post('/api/v1/auth/login', { data: { username: 'supervisor.banjar', password: 'supervisor123' } });
  const headers = { authorization: `Bearer ${(await login.json()).token}` };
  // The year the desk opens on: the one assessed this year (last year's work).
  const assessed = new Date().getFullYear() - 1;
  const checklist = await (await request.get(`/api/v1/actions/checklists/63.03/${assessed}`, { headers })).json();
  const key = checklist.catalogue.actions[0].evidence[0].key;
  const missing = { name: 'notulen-rembuk.pdf', size: 1234, sha256: 'ab'.repeat(32), media_type: 'application/pdf' };
  const saved = await request.put(`/api/v1/actions/checklists/63.03/${checklist.checklist.year}/items/${key}`, { headers, data: { files: [missing] } });
  expect(saved.status()).toBe(200);

  const province = await signIn(browser, baseURL!, 'provinsi.kalsel', 'provinsi123');
  await province.getByTestId('nav-actions').click();
  const card = province.locator(`[data-testid=evidence-item][data-key="${key}"] [data-testid=file-card]`);
  await expect(card).toHaveAttribute('data-state', 'on-its-way');
  await expect(card.getByTestId('file-state')).toHaveText('Berkas masih dalam perjalanan');

  // The district attaches a file, then signs out removing its data: the files database goes too.
  const district = await signIn(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await district.getByTestId('nav-actions').click();
  await district.getByTestId('evidence-item').nth(1).getByTestId('file-input')
    .setInputFiles({ name: 'notulen.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(district.getByTestId('evidence-item').nth(1).getByTestId('file-card')).toHaveCount(1);
  const names = async () => (await district.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)));
  expect(await names()).toContain('konvergen.files.supervisor.banjar');
  await district.getByTestId('logout').click();
  await district.getByTestId('signout-remove').click();
  await district.getByTestId('signout-remove-yes').click();
  await expect(district.getByTestId('login-submit')).toBeVisible();
  await expect.poll(names).not.toContain('konvergen.files.supervisor.banjar');
});
