// The province's panel in real browsers: three assessors score two districts, none sees the
// others before submitting; the combined score and the ranking equal a computation of this
// test's own; a district sees nothing before publication and its score, rank and the panel's
// recommendations after; the ranking workbook holds the same numbers.
import { test, expect } from './server';
import { signInToDesk, submitChecklist } from './desk-session';
import { firstSheetCells } from './xlsx';
import type { Browser, Page } from '@playwright/test';

test.setTimeout(240_000);

// The year the desk opens on: the one assessed this year (last year's work).
const YEAR = new Date().getFullYear() - 1;
const INDICATORS = [
  ['documents', 'documents.complete'],
  ['documents', 'documents.quality'],
  ['documents', 'documents.data'],
  ['presentation', 'presentation.mastery'],
  ['presentation', 'presentation.commitment'],
  ['field', 'field.match'],
] as const;
const WEIGHTS = { documents: 60, presentation: 20, field: 20 };
const POINTS: Record<string, number> = { A: 10000, B: 7500, C: 5000, D: 2500, E: 0 };
const ASSESSORS = ['penilai.satu', 'penilai.dua', 'penilai.tiga'];
const GRADES: Record<string, string[][]> = {
  '63.03': [['A', 'B', 'B', 'A', 'C', 'B'], ['B', 'B', 'C', 'B', 'B', 'A'], ['A', 'A', 'B', 'B', 'C', 'C']],
  '63.05': [['B', 'C', 'C', 'B', 'B', 'B'], ['A', 'B', 'B', 'A', 'A', 'B'], ['C', 'C', 'B', 'B', 'A', 'A']],
};

/** Hundredths, half up: the rule the rubric states for every step. */
const meanRounded = (values: number[]) => Math.floor((2 * values.reduce((a, b) => a + b, 0) + values.length) / (2 * values.length));

function sheetTotal(grades: string[]): number {
  const byComponent = new Map<string, number[]>();
  INDICATORS.forEach(([component], i) => byComponent.set(component, [...(byComponent.get(component) ?? []), POINTS[grades[i]]]));
  let weighted = 0;
  for (const [component, points] of byComponent) weighted += meanRounded(points) * WEIGHTS[component as keyof typeof WEIGHTS];
  return Math.floor((weighted + 50) / 100);
}

const districtTotal = (regency: string) => meanRounded(GRADES[regency].map(sheetTotal));
const shown = (hundredths: number) => `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;

async function onLaptop(browser: Browser, baseURL: string, username: string, password: string, landmark: string): Promise<Page> {
  const page = await signInToDesk(browser, baseURL, username, password, landmark);
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('dialog', (dialog) => dialog.accept());
  return page;
}

async function scoreDistrict(page: Page, regency: string, grades: string[], recommendation: string) {
  await page.locator(`[data-testid=panel-row][data-code="${regency}"]`).getByTestId('panel-open').click();
  const form = page.getByTestId('sheet-form');
  for (const [i, [, key]] of INDICATORS.entries()) {
    await form.getByTestId(`grade-${key}-${grades[i]}`).click();
  }
  await form.getByTestId('sheet-recommendation').fill(recommendation);
  await expect(form.getByTestId('sheet-preview').getByTestId('score-total')).toHaveText(shown(sheetTotal(grades)));
  await form.getByTestId('sheet-submit').click();
  await expect(page.getByTestId('panel-submitted')).toBeVisible();
}

test('three assessors score two districts; the province publishes; the district sees its result', async ({ browser, baseURL, request }) => {
  await submitChecklist(request, 'supervisor.banjar', '63.03');
  await submitChecklist(request, 'supervisor.tapin', '63.05');
  const assessors: Page[] = [];
  for (const name of ASSESSORS) assessors.push(await onLaptop(browser, baseURL!, name, 'penilai2026', 'nav-panel'));
  const [first, second, third] = assessors;

  // The second assessor submits Banjar first; the first, not yet, sees no one's score.
  await scoreDistrict(second, '63.03', GRADES['63.03'][1], 'Perkuat pemanfaatan data sasaran per desa');
  await second.getByTestId('panel-close').click();
  await first.locator('[data-testid=panel-row][data-code="63.03"]').getByTestId('panel-open').click();
  await expect(first.getByTestId('sheet-form')).toBeVisible();
  await expect(first.getByTestId('panel-hidden')).toBeVisible();
  await expect(first.getByTestId('panel-others')).toHaveCount(0);
  await first.getByTestId('panel-close').click();
  await expect(first.locator('[data-testid=panel-row][data-code="63.03"] [data-testid=panel-total]')).toHaveText('–');

  await scoreDistrict(first, '63.03', GRADES['63.03'][0], 'Percepat penerbitan Perbup');
  // Submitted: the others' sheets are there now.
  await expect(first.getByTestId('panel-other')).toHaveCount(1);
  await first.getByTestId('panel-close').click();
  await scoreDistrict(third, '63.03', GRADES['63.03'][2], 'Libatkan PKK dalam rembuk stunting');
  await third.getByTestId('panel-close').click();
  for (const [who, page] of assessors.entries()) {
    await scoreDistrict(page, '63.05', GRADES['63.05'][who], `Rekomendasi ${who + 1} untuk Tapin`);
    await page.getByTestId('panel-close').click();
  }
  await first.locator('[data-testid=panel-row][data-code="63.03"]').getByTestId('panel-open').click();
  await expect(first.getByTestId('panel-other')).toHaveCount(2);
  await expect(first.getByTestId('panel-combined').getByTestId('score-total')).toHaveText(shown(districtTotal('63.03')));

  // Before publication the district sees no score.
  const district = await signInToDesk(browser, baseURL!, 'supervisor.banjar', 'supervisor123');
  await district.getByTestId('nav-actions').click();
  await expect(district.getByTestId('result-waiting')).toBeVisible();
  await expect(district.getByTestId('result-total')).toHaveCount(0);

  // The province: the forming ranking equals the computation here, and so does its workbook.
  const province = await onLaptop(browser, baseURL!, 'provinsi.kalsel', 'provinsi123', 'nav-panel');
  await province.getByTestId('nav-panel').click();
  const ranking = province.getByTestId('ranking-card');
  await expect(ranking.getByTestId('ranking-provisional')).toBeVisible();
  const expected = ['63.03', '63.05']
    .map((code) => ({ code, total: districtTotal(code) }))
    .sort((a, b) => b.total - a.total || a.code.localeCompare(b.code));
  for (const [i, { code, total }] of expected.entries()) {
    const line = ranking.locator(`[data-testid=ranking-line][data-code="${code}"]`);
    await expect(line.getByTestId('score-total')).toHaveText(shown(total));
    const tied = i > 0 && expected[i - 1].total === total;
    await expect(line).toHaveAttribute('data-rank', String(tied ? 1 : i + 1));
  }
  const [download] = await Promise.all([province.waitForEvent('download'), ranking.getByTestId('ranking-xlsx').click()]);
  expect(download.suggestedFilename()).toBe(`peringkat-8-aksi-${YEAR}.xlsx`);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  const cells = firstSheetCells(Buffer.concat(chunks));
  for (const [i, { code, total }] of expected.entries()) {
    const row = 5 + i;
    expect(cells.get(`C${row}`)).toBe(code);
    expect(Math.round((cells.get(`H${row}`) as number) * 100)).toBe(total);
    expect(cells.get(`I${row}`)).toBe(3);
  }

  await ranking.getByTestId('panel-publish').click();
  await expect(ranking.getByTestId('ranking-published')).toBeVisible();

  // The decree annex prints alone: its title and the ranking, no tabs, no buttons.
  await ranking.getByTestId('ranking-print').click();
  await province.emulateMedia({ media: 'print' });
  const decree = province.getByTestId('decree');
  await expect(decree).toContainText(`Tahun ${YEAR}`);
  await expect(decree.getByTestId('ranking-line')).toHaveCount(2);
  await expect(province.locator('nav.tabs')).toBeHidden();
  await expect(province.getByTestId('panel-board')).toBeHidden();
  await expect(decree.getByTestId('decree-close')).toBeHidden();
  // The page's own window.print() holds Chromium's printer, so the layout is what is checked.
  await province.screenshot({ path: test.info().outputPath('decree-print.png'), fullPage: true });
  await province.emulateMedia({ media: 'screen' });
  await decree.getByTestId('decree-close').click();
  await expect(province.getByTestId('panel-board')).toBeVisible();

  // After publication: score, rank and the three recommendations, without the assessors' names.
  await district.getByTestId('nav-status').click();
  await district.getByTestId('nav-actions').click();
  const banjarRank = expected.findIndex((e) => e.code === '63.03') + 1;
  await expect(district.getByTestId('result-total')).toHaveText(shown(districtTotal('63.03')));
  await expect(district.getByTestId('result-rank')).toHaveAttribute('data-rank', String(banjarRank));
  await expect(district.getByTestId('result-recommendation')).toHaveCount(3);
  await expect(district.getByTestId('result-card')).not.toContainText('Panel Penilai');
});
