/**
 * rc-util's `Dom/dynamicCSS` (the updateCSS and removeCSS its users import), through which Ant Design's
 * CSS-in-JS, its icons and the scroll lock of an open modal or drawer add CSS at run time,
 * rebuilt on constructed style sheets the document adopts instead of <style> elements: the
 * portal's CSP (`style-src 'self'`) refuses every <style> element, never the CSSOM.
 * portal-build.ts bundles this module wherever `rc-util/es/Dom/dynamicCSS` is imported (and
 * scrollbar-size.ts where rc-util's own scrollbar measure would use it).
 *
 * Most of antd's styles never come here: they are extracted at build time into the portal's
 * antd stylesheet (antd-styles.tsx), and CSS-in-JS finds them there. What does come (the
 * icons' base rules, the scroll lock, a style the extraction did not meet) is adopted after
 * the page's own stylesheets, in the order rc-util would have inserted it.
 */

interface Options {
  readonly prepend?: boolean | 'queue';
  readonly priority?: number;
  readonly mark?: string;
}

interface Adopted {
  readonly sheet: CSSStyleSheet;
  /** Stands for the <style> element callers expect back; never attached, so nothing parses it. */
  readonly node: HTMLStyleElement;
  /** Prepended first, then the queue by priority, then appended; in each, as rc-util orders them. */
  readonly rank: readonly [number, number, number];
}

const adopted = new Map<string, Adopted>();
let inserted = 0;

const markOf = (options: Options): string => (options.mark === undefined ? 'data-rc-util-key' : options.mark.startsWith('data-') ? options.mark : `data-${options.mark}`);

const rankOf = (options: Options): Adopted['rank'] => {
  inserted += 1;
  if (options.prepend === 'queue') return [1, options.priority ?? 0, inserted];
  return options.prepend === true ? [0, 0, -inserted] : [2, 0, inserted];
};

function adoptAll(): void {
  const ordered = [...adopted.values()].sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2]);
  const own = new Set(ordered.map((entry) => entry.sheet));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets.filter((sheet) => !own.has(sheet)), ...ordered.map((entry) => entry.sheet)];
}

function adopt(css: string, key: string, options: Options): HTMLStyleElement {
  const id = `${markOf(options)}=${key}`;
  const known = adopted.get(id);
  if (known !== undefined) {
    known.sheet.replaceSync(css);
    return known.node;
  }
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  const node = document.createElement('style');
  node.setAttribute(markOf(options), key);
  adopted.set(id, { sheet, node, rank: rankOf(options) });
  adoptAll();
  return node;
}

/** Adds or replaces the CSS kept under `key`. */
export function updateCSS(css: string, key: string, options: Options = {}): HTMLStyleElement | null {
  return typeof document === 'undefined' ? null : adopt(css, key, options);
}

/** Drops the CSS kept under `key`. */
export function removeCSS(key: string, options: Options = {}): void {
  if (adopted.delete(`${markOf(options)}=${key}`)) adoptAll();
}
