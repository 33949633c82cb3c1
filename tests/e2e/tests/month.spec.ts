// The cadre's month: the task list against an independent computation from the records,
// tasks done offline, a missed month filled in later, and screens in the browser history.
import { test, expect } from './server';
import type { Page } from '@playwright/test';
import { signIn, addHousehold, serverChanges } from './phone';

type Change = { entity: string; record_id: string; deleted: boolean; body: any };

const DAY = 86_400_000;

/** A calendar date as days since the epoch (no time zone in play). */
function days(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY;
}

function parts(day: number): [number, number, number] {
  const date = new Date(day * DAY);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

function monthLength(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Completed months from `birth` to `date`, a birthday on the 31st reached at a month's end. */
function ageMonths(birth: number, date: number): number {
  const [by, bm, bd] = parts(birth);
  const [y, m, d] = parts(date);
  const months = (y - by) * 12 + m - bm;
  return d >= bd || d === monthLength(y, m) ? months : months - 1;
}

/** Today on this machine's clock, which the phone in the test shares. */
function todayDays(): number {
  const now = new Date();
  return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / DAY;
}

function isoOf(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function monthText(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The tasks of this month by kind (names), computed from the server's records. */
function expectedTasks(changes: Change[], today: number): Record<string, string[]> {
  const live = changes.filter((c) => !c.deleted);
  const of = (entity: string) => live.filter((c) => c.entity === entity);
  const [year, month] = parts(today);
  const first = Date.UTC(year, month - 1, 1) / DAY;
  const last = first + monthLength(year, month) - 1;
  const thisMonth = monthText(year, month);
  const filled = new Set(
    live.filter((c) => ['form2a', 'form2b', 'form2c'].includes(c.entity)).map((c) => `${c.body.person_id}/${c.body.month}`),
  );
  const measured = new Set(of('measurement').map((c) => `${c.body.child_id}/${c.body.measured_on.slice(0, 7)}`));
  const tasks: Record<string, string[]> = {
    form2a: [], form2b: [], form2c: [], measure: [], record_birth: [], register_baby: [], continue_paud: [], household_facts: [],
  };
  const due = (id: string) => !filled.has(`${id}/${thisMonth}`);
  for (const w of of('pregnant_woman')) {
    const b = w.body;
    const lmp = b.lmp_date ? days(b.lmp_date) : b.expected_delivery_date ? days(b.expected_delivery_date) - 280 : null;
    const edd = b.expected_delivery_date ? days(b.expected_delivery_date) : lmp !== null ? lmp + 280 : null;
    const delivered = b.delivery_date ? days(b.delivery_date) : null;
    const followed = (lmp === null || lmp <= last) && !(delivered !== null && delivered + 42 < first);
    if (followed && due(w.record_id)) tasks.form2a.push(b.name);
    if (delivered === null && edd !== null && edd < today) tasks.record_birth.push(b.name);
    if (delivered !== null && delivered <= today && ageMonths(delivered, today) < 24) {
      const baby = of('child').some((c) => c.body.household_id === b.household_id && Math.abs(days(c.body.birth_date) - delivered) <= 7);
      if (!baby) tasks.register_baby.push(b.name);
    }
  }
  for (const c of of('child')) {
    const birth = days(c.body.birth_date);
    const followed = birth <= last && ageMonths(birth, first) < 24;
    if (followed && due(c.record_id)) tasks.form2b.push(c.body.name);
    if (followed && !measured.has(`${c.record_id}/${thisMonth}`)) tasks.measure.push(c.body.name);
    const age = ageMonths(birth, today);
    const paud = of('paud_child').some((p) => p.body.household_id === c.body.household_id && p.body.birth_date === c.body.birth_date);
    if (age >= 24 && age < 72 && !paud) tasks.continue_paud.push(c.body.name);
  }
  for (const p of of('paud_child')) {
    const birth = days(p.body.birth_date);
    if (ageMonths(birth, last) >= 24 && ageMonths(birth, first) < 72 && due(p.record_id)) tasks.form2c.push(p.body.name);
  }
  for (const h of of('household')) {
    const b = h.body;
    if (b.family_card_no == null || b.safe_water == null || b.proper_latrine == null) tasks.household_facts.push(b.head_name);
  }
  return tasks;
}

async function shownNames(page: Page, kind: string): Promise<string[]> {
  return page.getByTestId(`tasks-${kind}`).locator('[data-testid=task] strong').allTextContents();
}

async function shownCount(page: Page, kind: string): Promise<number> {
  const tile = page.getByTestId(`count-${kind}`);
  if ((await tile.count()) === 0) return 0;
  return Number(await tile.locator('strong').textContent());
}

test('the task list is what the records say is still to do', async ({ page, request }) => {
  await signIn(page);
  await expect(page.getByTestId('tasks')).toBeVisible();
  const expected = expectedTasks(await serverChanges(request), todayDays());
  expect(Object.values(expected).flat().length, 'the demo village has work to do').toBeGreaterThan(0);
  for (const [kind, names] of Object.entries(expected)) {
    expect(await shownCount(page, kind), kind).toBe(names.length);
    expect((await shownNames(page, kind)).sort(), kind).toEqual([...names].sort());
  }
});

test('a task done offline leaves the list at once', async ({ page, context }) => {
  await signIn(page);
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'offline', { timeout: 20_000 });

  const before = await shownCount(page, 'form2b');
  expect(before).toBeGreaterThan(0);
  const task = page.getByTestId('tasks-form2b').getByTestId('task').first();
  const name = await task.locator('strong').textContent();
  const namesakes = (await shownNames(page, 'form2b')).filter((n) => n === name).length;
  await task.click();
  await expect(page.getByTestId('monthly-form')).toBeVisible();
  await page.getByTestId('item-weighed-Y').click();
  await page.getByTestId('save').click();
  // Saving goes back to where the cadre came from: the task list, one task shorter.
  await expect(page.getByTestId('tasks')).toBeVisible();
  await expect.poll(() => shownCount(page, 'form2b')).toBe(before - 1);
  expect((await shownNames(page, 'form2b')).filter((n) => n === name).length).toBe(namesakes - 1);

  const measures = await shownCount(page, 'measure');
  await page.getByTestId('tasks-measure').getByTestId('task').first().click();
  await page.getByTestId('field-weight_kg').fill('8,2');
  await page.getByTestId('field-length_cm').fill('70');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('tasks')).toBeVisible();
  await expect.poll(() => shownCount(page, 'measure')).toBe(measures - 1);
});

test('a missed month filled in later counts in its quarter', async ({ page }) => {
  await signIn(page);
  await addHousehold(page, 'Keluarga Bulan Terlewat');
  await page.getByTestId('add-child').click();
  await page.getByTestId('field-name').fill('Nadia Terlewat');
  await page.getByTestId('field-sex-F').check();
  await page.getByTestId('field-birth_date').fill(isoOf(todayDays() - 300));
  await page.getByTestId('save').click();
  await expect(page.getByTestId('member-row')).toHaveCount(1);

  // The months of the previous quarter.
  const [year, month] = parts(todayDays());
  const quarterStart = Math.floor((month - 1) / 3) * 3 + 1;
  const months = [1, 2, 3].map((i) => {
    const index = year * 12 + quarterStart - 1 - i;
    return monthText(Math.floor(index / 12), (index % 12) + 1);
  });

  await page.getByTestId('nav-scorecard').click();
  await page.getByTestId('quarter-prev').click();
  const received = async () => Number(await page.getByTestId('t3-AN-2').locator('td').nth(1).textContent());
  const applicable = async () => Number(await page.getByTestId('t3-AN-2').locator('td').nth(2).textContent());
  const [receivedBefore, applicableBefore] = [await received(), await applicable()];

  for (const filled of months) {
    await page.getByTestId('nav-home').click();
    await page.getByTestId('search').fill('Bulan Terlewat');
    await page.getByTestId('household-row').click();
    await page.getByTestId('monthly').click();
    await page.getByTestId('month-picker').selectOption(filled);
    await expect(page.getByTestId('monthly-month')).toHaveText(filled);
    await expect(page.getByTestId('backfill-note')).toBeVisible();
    await page.getByTestId('item-weighed-Y').click();
    await page.getByTestId('save').click();
    await expect(page.getByTestId('member-row')).toHaveCount(1);
  }
  // Opened again, a back-filled month shows what was saved for it.
  await page.getByTestId('monthly').click();
  await page.getByTestId('month-picker').selectOption(months[0]);
  await expect(page.getByTestId('item-weighed-Y')).toHaveClass(/on/);

  await page.getByTestId('nav-scorecard').click();
  await page.getByTestId('quarter-prev').click();
  await expect.poll(received).toBe(receivedBefore + 1);
  expect(await applicable()).toBe(applicableBefore + 1);
});

test('back returns to the list, and a reload stays on the form, offline too', async ({ page, context }) => {
  await signIn(page);
  await page.getByTestId('nav-home').click();
  await expect(page).toHaveURL(/\/rumah-tangga$/);
  // A household with members (the row ends with how many it has).
  await page.getByTestId('household-row').filter({ hasNotText: /· 0$/ }).first().click();
  await expect(page).toHaveURL(/\/rumah-tangga\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('member-list')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('household-list')).toBeVisible();
  await expect(page).toHaveURL(/\/rumah-tangga$/);
  await page.goForward();
  await expect(page.getByTestId('member-list')).toBeVisible();

  const member = page.getByTestId('member-row').first();
  const name = (await member.locator('strong').textContent())!;
  await member.click();
  await expect(page.getByTestId('field-name')).toHaveValue(name);
  const address = page.url();
  await page.reload();
  await expect(page.getByTestId('field-name')).toHaveValue(name);
  expect(page.url()).toBe(address);

  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('field-name')).toHaveValue(name);
  // The app's own back button and the browser's agree: both lead to the household.
  await page.getByTestId('back').click();
  await expect(page.getByTestId('member-list')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('household-list')).toBeVisible();
});
