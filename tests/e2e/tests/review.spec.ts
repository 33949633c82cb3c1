// The province's technical review per evidence item (issue #16): one item needs revision
// with a note, another is accepted, verifying is refused while the revision stands, the
// checklist goes back on the item note alone, and the district reads the note by its item.
import { test, expect } from './server';
import { signInToDesk } from './desk-session';
import type { APIRequestContext, Page } from '@playwright/test';

const REVISED = 'a1.2';
const ACCEPTED = 'a1.1';
const NOTE = 'Notulen rembuk belum ditandatangani kepala daerah';

interface Login { token: string }
interface EvidenceDef { key: string; required: boolean }
interface Catalogue { actions: { evidence: EvidenceDef[] }[] }

async function bearer(request: APIRequestContext, username: string, password: string) {
  const login = await request.post('/api/v1/auth/login', { data: { username, password } });
  const body = (await login.json()) as Login;
  return { authorization: `Bearer ${body.token}` };
}

/** Banjar fills every required item with a link and submits, through the API. */
async function fillAndSubmit(request: APIRequestContext, year: string) {
  const headers = await bearer(request, 'supervisor.banjar', 'supervisor123');
  const catalogue = (await (await request.get(`/api/v1/actions/catalogue/${year}`, { headers })).json()) as Catalogue;
  const base = `/api/v1/actions/checklists/63.03/${year}`;
  for (const item of catalogue.actions.flatMap((a) => a.evidence).filter((e) => e.required)) {
    const saved = await request.put(`${base}/items/${item.key}`, {
      headers, data: { done: true, links: [`https://dokumen.example/${item.key}.pdf`] },
    });
    expect(saved.status(), item.key).toBe(200);
  }
  const sent = await request.post(`${base}/transition`, { headers, data: { action: 'submit' } });
  expect(sent.status()).toBe(200);
}

/** Opens the 8 Aksi tab afresh (another tab first, so the checklist is read again). */
async function openChecklist(page: Page) {
  await page.getByTestId('nav-status').click();
  await page.getByTestId('nav-actions').click();
}

test('the province reviews per item, returns on the note, and the district reads it', async ({ browser, baseURL, request }) => {
  const province = await signInToDesk(browser, baseURL!, 'provinsi.kalsel', 'provinsi123', 'nav-aggregates');
  await province.getByTestId('nav-actions').click();
  await expect(province.getByTestId('checklist-status')).toHaveAttribute('data-status', 'draft');
  // The year the desk opens on, so the setup fills the checklist the screen shows.
  const year = await province.getByTestId('field-year').inputValue();
  await fillAndSubmit(request, year);
  await openChecklist(province);
  await expect(province.getByTestId('checklist-status')).toHaveAttribute('data-status', 'submitted');

  // The evidence is there to judge: the link opens in a new tab.
  const revisedItem = province.locator(`[data-testid=evidence-item][data-key="${REVISED}"]`);
  const link = revisedItem.locator('a.evidence-link');
  await expect(link).toHaveAttribute('href', `https://dokumen.example/${REVISED}.pdf`);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(province.getByTestId(`review-verdict-${REVISED}`)).toHaveAttribute('data-verdict', 'none');

  // "Perlu perbaikan" without a note is stopped at the field, in Bahasa Indonesia.
  await province.getByTestId(`review-revise-${REVISED}`).click();
  await expect(province.getByTestId(`review-error-${REVISED}`)).toHaveText('Tuliskan apa yang perlu diperbaiki');
  await expect(province.getByTestId(`review-verdict-${REVISED}`)).toHaveAttribute('data-verdict', 'none');
  await province.getByTestId(`review-note-${REVISED}`).fill(NOTE);
  await province.getByTestId(`review-revise-${REVISED}`).click();
  await expect(province.getByTestId(`review-verdict-${REVISED}`)).toHaveAttribute('data-verdict', 'needs_revision');
  await expect(province.getByTestId(`review-error-${REVISED}`)).toHaveCount(0);
  await province.getByTestId(`review-accept-${ACCEPTED}`).click();
  await expect(province.getByTestId(`review-verdict-${ACCEPTED}`)).toHaveAttribute('data-verdict', 'accepted');

  // Verifying is refused while an item needs revision, and the message names it.
  await province.getByTestId('verify').click();
  await expect(province.getByTestId('action-error')).toContainText('masih perlu perbaikan: Aksi 1');
  await expect(province.getByTestId('checklist-status')).toHaveAttribute('data-status', 'submitted');

  // Back to the district with no reason of its own: the item note is the reason.
  await province.getByTestId('return').click();
  await expect(province.getByTestId('checklist-status')).toHaveAttribute('data-status', 'returned');
  await expect(province.getByTestId(`review-note-shown-${REVISED}`)).toContainText(NOTE);

  const district = await signInToDesk(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await district.getByTestId('nav-actions').click();
  await district.getByTestId('field-year').selectOption(year);
  await expect(district.getByTestId('checklist-status')).toHaveAttribute('data-status', 'returned');
  await expect(district.getByTestId('return-see-items')).toBeVisible();
  const shown = district.getByTestId(`review-note-shown-${REVISED}`);
  await expect(shown).toContainText(NOTE);
  await expect(shown).toHaveAttribute('data-verdict', 'needs_revision');
  // Next to its own item, not somewhere else on the page.
  await expect(district.locator(`[data-testid=evidence-item][data-key="${REVISED}"]`).getByTestId(`review-note-shown-${REVISED}`)).toBeVisible();
  await expect(district.getByTestId(`review-note-shown-${ACCEPTED}`)).toHaveAttribute('data-verdict', 'accepted');
});
