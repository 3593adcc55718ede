/**
 * rc-util's getScrollBarSize without the <style> element it adds to measure a page's own
 * scrollbar style, which the portal's CSP refuses: the width the page's `::-webkit-scrollbar`
 * rule gives is read from the computed style instead (rc-util's own fallback when it cannot add
 * the element). portal-build.ts bundles this module wherever `rc-util/es/getScrollBarSize` is imported.
 */
interface Size {
  readonly width: number;
  readonly height: number;
}

let cached: Size | undefined;

function measure(target?: Element): Size {
  const probe = document.createElement('div');
  Object.assign(probe.style, { position: 'absolute', left: '0', top: '0', width: '100px', height: '100px', overflow: 'scroll' });
  let styled: Size = { width: Number.NaN, height: Number.NaN };
  if (target !== undefined) {
    const own = getComputedStyle(target);
    probe.style.scrollbarColor = own.scrollbarColor;
    probe.style.scrollbarWidth = own.scrollbarWidth;
    const webkit = getComputedStyle(target, '::-webkit-scrollbar');
    styled = { width: Number.parseInt(webkit.width, 10), height: Number.parseInt(webkit.height, 10) };
  }
  document.body.append(probe);
  const size = { width: styled.width || probe.offsetWidth - probe.clientWidth, height: styled.height || probe.offsetHeight - probe.clientHeight };
  probe.remove();
  return size;
}

/** The width of the browser's scrollbar, measured once unless `fresh`. */
export default function getScrollBarSize(fresh?: boolean): number {
  if (typeof document === 'undefined') return 0;
  if (fresh === true || cached === undefined) cached = measure();
  return cached.width;
}

/** The size of `target`'s scrollbars, its own scrollbar style included. */
export function getTargetScrollBarSize(target: unknown): Size {
  if (typeof document === 'undefined' || !(target instanceof Element)) return { width: 0, height: 0 };
  return measure(target);
}
