/**
 * Ant Design's styles as a stylesheet, made at build time (portal-build.ts runs this in Node):
 * the antd components the portal uses, and those they render inside, rendered once under the
 * portal's theme, their CSS-in-JS collected and written out with the cache-path map
 * (`.data-ant-cssinjs-cache-path`) by which the page's CSS-in-JS finds each style already
 * loaded and adds none. So the portal runs under `style-src 'self'` with its styles in hashed
 * files of its own; whatever antd still adds at run time goes through adopted-css.ts. After
 * @ant-design/static-style-extract, which renders every component the same way.
 */
import type { ComponentType, ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import * as antd from 'antd';
import { createCache, extractStyle, StyleProvider } from '@ant-design/cssinjs';
import { PORTAL_THEME } from './theme.js';

/** What the portal's components render inside themselves: a table's pager, filter menu, empty state and sorter tooltip, a loading card's skeleton. */
const INSIDE = ['Checkbox', 'Dropdown', 'Empty', 'Pagination', 'Skeleton', 'Tooltip'];

/** Components that render nothing without children or props. */
const RENDER: Record<string, () => ReactNode> = {
  Dropdown: () => <antd.Dropdown menu={{ items: [] }}><div /></antd.Dropdown>,
  Menu: () => <antd.Menu items={[]} />,
  Tag: () => <><antd.Tag color="blue">Tag</antd.Tag><antd.Tag color="success">Tag</antd.Tag></>,
  Space: () => <><antd.Space /><antd.Space.Compact><antd.Button /></antd.Space.Compact></>,
  Input: () => <><antd.Input /><antd.Input.Search /><antd.Input.TextArea /><antd.Input.Password /></>,
  Modal: () => <><antd.Modal /><ConfirmPanel /></>,
  Layout: () => (
    <antd.Layout>
      <antd.Layout.Header>Header</antd.Layout.Header>
      <antd.Layout.Sider>Sider</antd.Layout.Sider>
      <antd.Layout.Content>Content</antd.Layout.Content>
    </antd.Layout>
  ),
};

function ConfirmPanel(): ReactNode {
  return <antd.Modal._InternalPanelDoNotUseOrYouWillBeFired type="confirm" />;
}

/** A component as React takes it: a function or a forwardRef/memo object (not Grid, which only holds a hook). */
const isComponent = (value: unknown): value is ComponentType =>
  typeof value === 'function' || (typeof value === 'object' && value !== null && '$$typeof' in value);

const rendered = (name: string): ReactNode => {
  const Component = (antd as unknown as Record<string, unknown>)[name];
  if (name === 'ConfigProvider' || !isComponent(Component)) return null;
  return <div key={name}>{RENDER[name]?.() ?? <Component />}</div>;
};

/**
 * The CSS of `used` (antd's component names: Button, Table…) and what they render inside,
 * under the portal's theme, with the map CSS-in-JS reads; and `Modal.confirm`'s, which the
 * portal calls outside its theme.
 */
export function antdStylesheet(used: readonly string[]): string {
  const cache = createCache();
  renderToString(
    <StyleProvider cache={cache}>
      <antd.ConfigProvider theme={PORTAL_THEME}>{[...new Set([...used, ...INSIDE])].sort().map(rendered)}</antd.ConfigProvider>
      <ConfirmPanel />
    </StyleProvider>,
  );
  return extractStyle(cache, { plain: true });
}
