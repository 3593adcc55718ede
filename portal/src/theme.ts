import type { ThemeConfig } from 'antd/es/config-provider/context';

/**
 * The portal's Ant Design theme: the page's and the build's (antd-styles.tsx extracts antd's
 * styles with these very tokens, so that the styles the page asks for are the file's).
 */
export const PORTAL_THEME: ThemeConfig = {
  token: { colorPrimary: '#0b5cad', borderRadius: 6, colorTextDescription: 'rgba(0, 0, 0, 0.65)', colorTextSecondary: 'rgba(0, 0, 0, 0.65)', colorLink: '#0b5cad' },
};
