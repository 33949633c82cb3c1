// Every screen of the cadre app and of the desk, checked the way a cadre's cheap phone and a
// screen reader meet it (issue #17): axe-core finds no violation that is serious or critical,
// and the layout at 360x640 neither sticks out sideways nor squeezes a text to a letter's width
// (tests/layout.ts). Screens are reached by data-testid only, so a new navigation keeps them.
//
// With KONVERGEN_SHOTS naming a folder, every screen is also photographed at 360x640 and 1280x800.
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './server';
import type { APIRequestContext, Page } from '@playwright/test';
import { signIn } from './phone';
import { signInToDesk, submitChecklist } from './desk-session';
import { layoutProblems } from './layout';

const shots = process.env.KONVERGEN_SHOTS;

// axe takes a few seconds per screen on a CI machine's two cores.
test.setTimeout(240_000);

/** The violations a screen may not have: what blocks or seriously hinders a reader. */
const BLOCKING = ['serious', 'critical'];

async function blockingViolations(page: Page, name: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const line = (v: (typeof violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.html.slice(0, 120)).slice(0, 5).join(' | ')})`;
  // The lesser ones are listed with the test's result, so they are seen without failing it.
  for (const v of violations.filter((v) => !BLOCKING.includes(v.impact ?? ''))) {
    test.info().annotations.push({ type: `axe on ${name}`, description: line(v) });
  }
  return violations.filter((v) => BLOCKING.includes(v.impact ?? '')).map(line);
}

async function shoot(page: Page, name: string) {
  if (!shots) return;
  for (const [width, height] of [[1280, 800], [360, 640]]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${shots}/${name}-${width}x${height}.png`, fullPage: true });
  }
}

/** Checks the screen now shown: accessibility, then the phone layout. */
async function checkScreen(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await shoot(page, name);
  expect.soft(await blockingViolations(page, name), `axe on ${name}`).toEqual([]);
  expect.soft(await layoutProblems(page), `layout of ${name}`).toEqual([]);
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

test('every cadre screen is accessible and fits a 360 px phone', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('login-submit')).toBeVisible();
  await checkScreen(page, 'cadre-sign-in');

  await signIn(page);
  await checkScreen(page, 'cadre-home');

  await page.getByTestId('add-household').click();
  await expect(page.getByTestId('field-head_name')).toBeVisible();
  await checkScreen(page, 'cadre-household-form');
  await page.getByTestId('field-head_name').fill('Keluarga Salsabila Nurhaliza');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('add-pregnant')).toBeVisible();

  await page.getByTestId('add-pregnant').click();
  await checkScreen(page, 'cadre-pregnant-form');
  await page.getByTestId('field-name').fill('Salsabila Rahmawati');
  await page.getByTestId('field-lmp_date').fill(daysAgo(120));
  await page.getByTestId('save').click();

  await page.getByTestId('add-child').click();
  await checkScreen(page, 'cadre-child-form');
  await page.getByTestId('field-name').fill('Muhammad Alfarizqi');
  await page.getByTestId('field-sex-M').check();
  await page.getByTestId('field-birth_date').fill(daysAgo(365));
  await page.getByTestId('save').click();

  await page.getByTestId('add-paud').click();
  await checkScreen(page, 'cadre-paud-form');
  await page.getByTestId('field-name').fill('Nurul Hidayah');
  await page.getByTestId('field-sex-F').check();
  await page.getByTestId('field-birth_date').fill(daysAgo(3 * 365));
  await page.getByTestId('save').click();
  await expect(page.getByTestId('member-row')).toHaveCount(3);
  await checkScreen(page, 'cadre-household');

  await page.locator('li.member', { hasText: 'Alfarizqi' }).getByTestId('measure').click();
  await page.getByTestId('field-weight_kg').fill('7,0');
  await page.getByTestId('field-length_cm').fill('64.0');
  await expect(page.getByTestId('category-haz')).toBeVisible();
  await checkScreen(page, 'cadre-measurement');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('add-pregnant')).toBeVisible();

  await page.locator('li.member', { hasText: 'Alfarizqi' }).getByTestId('monthly').click();
  await expect(page.getByTestId('save')).toBeVisible();
  await checkScreen(page, 'cadre-monthly');
  await page.getByTestId('save').click();

  await page.getByTestId('nav-scorecard').click();
  await expect(page.getByTestId('tkd-total')).toBeVisible();
  await checkScreen(page, 'cadre-scorecard');

  await page.getByTestId('nav-sync').click();
  await expect(page.getByTestId('sync-now')).toBeVisible();
  await checkScreen(page, 'cadre-sync');

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('signout-confirm')).toBeVisible();
  await checkScreen(page, 'cadre-sign-out');
});

/** Opens every folded part (`<details>`) of the screen, so its forms are checked too. */
async function unfold(page: Page) {
  await page.locator('details:not([open])').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
}

/** Clicks the tab `testid` and checks what it shows once `landmark` is there. */
async function checkTab(page: Page, role: string, testid: string, landmark: string) {
  await page.getByTestId(testid).click();
  await expect(page.getByTestId(landmark).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  await unfold(page);
  await checkScreen(page, `desk-${role}-${testid.replace('nav-', '')}`);
}

/** The figures from the top of `role`'s area down to a village's households, through `codes`. */
async function checkAggregatesDown(page: Page, role: string, codes: string[]) {
  await checkTab(page, role, 'nav-aggregates', 'aggregate-table');
  for (const code of codes) {
    await page.locator(`[data-testid=aggregate-row][data-code="${code}"]`).click();
  }
  await expect(page.getByTestId('household-list')).toBeVisible();
  await checkScreen(page, `desk-${role}-aggregates-village`);
}

/** Two phones edit one household of Sungai Sipai from the same version: a conflict to review. */
async function makeConflict(request: APIRequestContext) {
  const login = await request.post('/api/v1/auth/login', { data: { username: 'kader.sipai', password: 'kader123' } });
  const headers = { authorization: `Bearer ${(await login.json()).token}` };
  const house = crypto.randomUUID();
  const [phoneA, phoneB] = [crypto.randomUUID(), crypto.randomUUID()];
  const push = (device: string, seq: number, base: number, head: string) =>
    request.post('/api/v1/sync/push', { headers, data: {
      device_id: device, heartbeat: { outbox_size: 3, oldest_pending_secs: 600 },
      mutations: [{ seq, entity: 'household', record_id: house, base_version: base,
        body: { village_code: '63.03.05.2009', head_name: head, dusun: `Dusun ${head}` } }],
    } });
  await push(phoneA, 1, 0, 'Salsabila');
  await push(phoneA, 2, 1, 'Salsabila Nurhaliza');
  await push(phoneB, 1, 1, 'Salsabila Rahmawati');
}

test('every tab of the district coordinator is accessible and fits a phone', async ({ browser, baseURL, request }) => {
  await makeConflict(request);
  const page = await signInToDesk(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await checkTab(page, 'district', 'nav-status', 'device-row');
  await checkTab(page, 'district', 'nav-conflicts', 'conflict');
  await page.getByTestId('start-merge').click();
  await expect(page.getByTestId('merge-value').first()).toBeVisible();
  await checkScreen(page, 'desk-district-merge');
  await checkAggregatesDown(page, 'district', ['63.03.05', '63.03.05.2009']);
  await checkTab(page, 'district', 'nav-actions', 'actions-view');
  await checkTab(page, 'district', 'nav-team', 'team-view');
  await page.getByTestId('open-paparan').click();
  await expect(page.getByTestId('paparan-outcomes')).toBeVisible();
  await checkScreen(page, 'desk-district-paparan');
});

test('the team tab of an agency is accessible and fits a phone', async ({ browser, baseURL }) => {
  const page = await signInToDesk(browser, baseURL!, 'dinkes.banjar', 'dinkes2026', 'nav-team');
  await checkTab(page, 'agency', 'nav-team', 'team-view');
});

test('every tab of the province is accessible and fits a phone', async ({ browser, baseURL }) => {
  const page = await signInToDesk(browser, baseURL!, 'provinsi.kalsel', 'provinsi123', 'nav-overview');
  await checkTab(page, 'province', 'nav-overview', 'overview-view');
  await checkTab(page, 'province', 'nav-status', 'status-view');
  await checkTab(page, 'province', 'nav-conflicts', 'conflicts-view');
  await checkAggregatesDown(page, 'province', ['63.03', '63.03.05', '63.03.05.2009']);
  await checkTab(page, 'province', 'nav-actions', 'actions-view');
  await checkTab(page, 'province', 'nav-panel', 'panel-view');
});

test('every tab of an assessor is accessible and fits a phone', async ({ browser, baseURL, request }) => {
  // A district sent to the province has a sheet to score.
  await submitChecklist(request, 'supervisor.banjar', '63.03');
  const page = await signInToDesk(browser, baseURL!, 'penilai.satu', 'penilai2026', 'nav-panel');
  await checkTab(page, 'assessor', 'nav-panel', 'panel-view');
  await page.locator('[data-testid=panel-row][data-code="63.03"]').getByTestId('panel-open').click();
  await expect(page.getByTestId('sheet-form')).toBeVisible();
  await checkScreen(page, 'desk-assessor-sheet');
  await checkTab(page, 'assessor', 'nav-aggregates', 'aggregate-table');
  await checkTab(page, 'assessor', 'nav-actions', 'actions-view');
});
