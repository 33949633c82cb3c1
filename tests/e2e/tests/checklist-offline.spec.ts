// The coordinator's 8-action checklist without a network: an item saved offline is kept on
// the device through a reload and sent when the network is back; an item somebody changed
// on the server meanwhile is not overwritten unseen: both versions are shown and the
// coordinator decides.
import { test, expect } from './server';
import { signInToDesk } from './desk-session';

test('an offline save is kept and sent later; a save overtaken on the server waits for a decision', async ({ browser, baseURL, request }) => {
  const district = await signInToDesk(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await district.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await district.getByTestId('nav-actions').click();
  await expect(district.getByTestId('checklist-status')).toHaveAttribute('data-status', 'draft');
  const items = district.getByTestId('evidence-item');
  const first = await items.nth(0).getAttribute('data-key');
  const second = await items.nth(1).getAttribute('data-key');
  const item = (key: string | null) => district.locator(`[data-testid=evidence-item][data-key="${key}"]`);

  await district.context().setOffline(true);
  await item(first).getByTestId('evidence-link').fill('https://dokumen.example/analisis-situasi.pdf');
  await item(first).getByTestId('evidence-save').click();
  await expect(item(first).getByTestId('item-draft')).toHaveAttribute('data-stale', 'false');
  await expect(item(first)).toHaveAttribute('data-done', 'true');
  await item(second).getByTestId('evidence-link').fill('https://dokumen.example/versi-saya.pdf');
  await item(second).getByTestId('evidence-save').click();
  await expect(item(second).getByTestId('item-draft')).toBeVisible();

  // Still there after a reload without network.
  await district.reload();
  await district.getByTestId('nav-actions').click();
  await expect(item(first).getByTestId('item-draft')).toBeVisible();
  await expect(item(first).getByTestId('evidence-link')).toHaveValue('https://dokumen.example/analisis-situasi.pdf');

  // Meanwhile somebody else saves the second item on the server.
  const login = await request.post('/api/v1/auth/login', { data: { username: 'supervisor.banjar', password: 'supervisor123' } });
  const headers = { authorization: `Bearer ${(await login.json()).token}` };
  const year = new Date().getFullYear() - 1;
  const path = `/api/v1/actions/checklists/63.03/${year}`;
  const read = await (await request.get(path, { headers })).json();
  const other = await request.put(`${path}/items/${second}?expected_version=${read.version}`, {
    headers,
    data: { done: true, links: ['https://dokumen.example/versi-rekan.pdf'] },
  });
  expect(other.status()).toBe(200);

  // Back online: the first goes up; the second is shown with the server's version.
  await district.context().setOffline(false);
  await expect(item(first).getByTestId('item-draft')).toHaveCount(0, { timeout: 20_000 });
  await expect(item(second).getByTestId('item-draft')).toHaveAttribute('data-stale', 'true');
  await expect(item(second).getByTestId('draft-server-version')).toContainText('versi-rekan.pdf');
  const stored = await (await request.get(path, { headers })).json();
  expect(stored.checklist.items[first!].links).toEqual(['https://dokumen.example/analisis-situasi.pdf']);
  expect(stored.checklist.items[second!].links).toEqual(['https://dokumen.example/versi-rekan.pdf']);

  // The coordinator keeps the colleague's version.
  await item(second).getByTestId('draft-discard').click();
  await expect(item(second).getByTestId('item-draft')).toHaveCount(0);
  await expect(item(second).getByTestId('evidence-link')).toHaveValue('https://dokumen.example/versi-rekan.pdf');
});
