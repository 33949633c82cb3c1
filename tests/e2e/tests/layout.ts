// The layout check of a screen as it is drawn now (issue #17): on a 360 px phone nothing may
// stick out sideways, no label or value may be squeezed into a column a letter or two wide,
// and no ordinary word may be split over two lines ("Salsabi / la"). Any spec can call
// `expectSoundLayout(page, 'name')` after its screen has settled.
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

export interface LayoutOptions {
  /** Boxes that scroll sideways on purpose; what is inside them may extend past the screen. */
  scrollers?: string;
  /** A text box must be at least this many characters wide (or as wide as its text). */
  minChars?: number;
}

/** Boxes meant to scroll sideways: the wide tables of the desk. */
const DEFAULT_SCROLLERS = '.table-scroll';

/** Every layout problem of the page, one line each (empty when the layout is sound). */
export async function layoutProblems(page: Page, options: LayoutOptions = {}): Promise<string[]> {
  const scrollers = options.scrollers ?? DEFAULT_SCROLLERS;
  const minChars = options.minChars ?? 3;
  return page.evaluate(({ scrollers, minChars }) => {
    const problems: string[] = [];
    const root = document.documentElement;
    const viewport = root.clientWidth;
    // Half an em is about the width of an average letter of a sans-serif face.
    const letterWidth = (el: Element) => parseFloat(getComputedStyle(el).fontSize) * 0.5;
    const skipped = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'BR']);

    const describe = (el: Element) => {
      const id = el.getAttribute('data-testid');
      const classes = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${el.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ''}${classes}> "${text}"`;
    };
    const directText = (el: Element) =>
      Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
    // Clipped to nothing on purpose (screen-reader-only text) or not drawn at all.
    const invisible = (el: Element, box: DOMRect) =>
      box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden' ||
      (box.width <= 1 && box.height <= 1);

    if (root.scrollWidth > viewport) {
      problems.push(`page scrolls sideways: scrollWidth ${root.scrollWidth} > ${viewport}`);
    }
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (skipped.has(el.tagName)) continue;
      const box = el.getBoundingClientRect();
      if (invisible(el, box)) continue;
      const insideScroller = el.parentElement?.closest(scrollers) != null;
      if (!insideScroller && (box.right > viewport + 0.5 || box.left < -0.5)) {
        problems.push(`sticks out (${Math.round(box.left)}..${Math.round(box.right)} of ${viewport}): ${describe(el)}`);
      }
      const text = directText(el);
      if (!text) continue;
      const needed = Math.min(Array.from(text).length, minChars) * letterWidth(el) * 0.8;
      if (box.width < needed) {
        problems.push(`squeezed to ${Math.round(box.width)} px (needs ${Math.round(needed)}): ${describe(el)}`);
      }
    }
    // A word drawn on two lines: its range has two boxes. Boxes that may break words on
    // purpose (file names, links: `overflow-wrap: anywhere`) are left out.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || skipped.has(parent.tagName)) continue;
      const style = getComputedStyle(parent);
      if (style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all') continue;
      const value = node.textContent ?? '';
      for (const word of value.matchAll(/\p{L}{2,}/gu)) {
        const range = document.createRange();
        range.setStart(node, word.index!);
        range.setEnd(node, word.index! + word[0].length);
        const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) problems.push(`word split over ${lines.size} lines: "${word[0]}" in ${describe(parent)}`);
      }
    }
    return problems;
  }, { scrollers, minChars });
}

/** Fails the test with every layout problem of the screen `name`. */
export async function expectSoundLayout(page: Page, name: string, options: LayoutOptions = {}) {
  expect(await layoutProblems(page, options), `layout of ${name}`).toEqual([]);
}
