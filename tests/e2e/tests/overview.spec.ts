// The province's overview (#16) on the real app and server: every regency of Kalimantan
// Selatan in one table, sorted by a click on a header, a click on a regency opening its
// 8-action checklist, and the last answer kept offline with its age.
import { test, expect } from './server';
import { signInToDesk } from './desk-session';
import type { APIRequestContext, Page } from '@playwright/test';

const KALSEL = ['63.01', '63.02', '63.03', '63.04', '63.05', '63.06', '63.07', '63.08', '63.09',
  '63.10', '63.11', '63.71', '63.72'];
/** The year the desk opens on: last year's work, assessed this year. */
const YEAR = new Date().getFullYear() - 1;

async function token(request: APIRequestContext, username: string, password: string) {
  const login = await request.post('/api/v1/auth/login', { data: { username, password } });
  return (await login.json()).token as string;
}

/** The supervisor of `regency` evidences every required item of YEAR and submits it. */
async function submitYear(request: APIRequestContext, regency: string, username: string) {
  const headers = { authorization: `Bearer ${await token(request, username, 'supervisor123')}` };
  const catalogue = await (await request.get(`/api/v1/actions/catalogue/${YEAR}`, { headers })).json();
  const base = `/api/v1/actions/checklists/${regency}/${YEAR}`;
  for (const action of catalogue.actions) {
    for (const item of action.evidence.filter((i: { required: boolean }) => i.required)) {
      const saved = await request.put(`${base}/items/${item.key}`, { headers,
        data: { done: true, links: [`https://dokumen.example/${item.key}.pdf`] } });
      expect(saved.status()).toBe(200);
    }
  }
  const submitted = await request.post(`${base}/transition`, { headers, data: { action: 'submit' } });
  expect(submitted.status()).toBe(200);
}

function row(page: Page, code: string) {
  return page.getByTestId(`overview-row-${code}`);
}

async function codesInOrder(page: Page) {
  return page.locator('[data-testid^=overview-row-]').evaluateAll(
    (rows) => rows.map((r) => r.getAttribute('data-code')));
}

test('the province sorts its regencies and opens one regency\'s checklist', async ({ browser, baseURL, request }) => {
  await submitYear(request, '63.05', 'supervisor.tapin');
  const page = await signInToDesk(browser, baseURL!, 'provinsi.kalsel', 'provinsi123', 'nav-overview');
  await page.setViewportSize({ width: 1280, height: 800 });
  // The province's desk opens on the overview.
  await expect(page.getByTestId('overview-table')).toBeVisible();
  expect(await codesInOrder(page)).toHaveLength(KALSEL.length);
  for (const code of KALSEL) await expect(row(page, code)).toBeVisible();
  await expect(row(page, '63.05').getByTestId('overview-status')).toHaveAttribute('data-status', 'submitted');
  await expect(row(page, '63.03').getByTestId('overview-status')).toHaveAttribute('data-status', 'draft');
  await expect(row(page, '63.05').getByTestId('overview-completeness')).toContainText('100,0 %');
  await expect(row(page, '63.05').locator('[data-level=full]')).toHaveCount(8);
  await expect(row(page, '63.05').getByTestId('overview-budget')).toHaveText('Rp 0');

  // Names first, A-Z; completeness largest first, then the other way on a second click.
  expect((await codesInOrder(page))[0]).toBe('63.11');
  await page.getByTestId('overview-sort-completeness').click();
  await expect(page.getByTestId('overview-sort-completeness').locator('..')).toHaveAttribute('aria-sort', 'descending');
  expect((await codesInOrder(page))[0]).toBe('63.05');
  await page.getByTestId('overview-sort-completeness').click();
  expect((await codesInOrder(page)).at(-1)).toBe('63.05');
  await page.getByTestId('overview-sort-status').click();
  expect((await codesInOrder(page))[0]).toBe('63.05');
  const download = page.waitForEvent('download');
  await page.getByTestId('overview-download').click();
  expect((await download).suggestedFilename()).toBe(`konvergen-ikhtisar-${YEAR}.xlsx`);

  await row(page, '63.05').getByTestId('overview-open').click();
  await expect(page.getByTestId('nav-actions')).toHaveClass(/active/);
  await expect(page.getByTestId('regency')).toHaveValue('63.05');
  await expect(page.getByTestId('field-year')).toHaveValue(String(YEAR));
  await expect(page.getByTestId('checklist-status')).toHaveAttribute('data-status', 'submitted');
});

test('on a phone the table scrolls in its own box, and offline the last answer shows its age', async ({ browser, baseURL }) => {
  const page = await signInToDesk(browser, baseURL!, 'provinsi.kalsel', 'provinsi123', 'nav-overview');
  await expect(row(page, '63.03')).toBeVisible();
  const widths = await page.evaluate(() => {
    const box = document.querySelector('[data-testid=overview-scroll]') as HTMLElement;
    return { page: document.documentElement.scrollWidth, view: window.innerWidth,
      box: box.clientWidth, table: box.scrollWidth };
  });
  expect(widths.page).toBeLessThanOrEqual(widths.view);
  expect(widths.table).toBeGreaterThan(widths.box);

  await page.context().setOffline(true);
  await page.getByTestId('nav-status').click();
  await page.getByTestId('nav-overview').click();
  await expect(page.getByTestId('cached-note')).toBeVisible();
  await expect(row(page, '63.03')).toBeVisible();
});
