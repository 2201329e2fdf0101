import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { ServiceWorker } from '../components/service-worker';
import { THEME_COLORS, themeScript } from '../hooks/theme';
import './tokens.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Parley',
  description: 'Text chat you can host yourself.',
  applicationName: 'Parley',
  appleWebApp: { capable: true, title: 'Parley', statusBarStyle: 'default' },
  icons: { icon: '/icons/icon-192.png', apple: '/icons/apple-touch-icon.png' },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  viewportFit: 'cover',
  // The on-screen keyboard shrinks the layout, so the composer stays above it.
  interactiveWidget: 'resizes-content',
  themeColor: [
    // The theme chosen in Settings overrides both (hooks/theme.ts#watchTheme).
    { media: '(prefers-color-scheme: light)', color: THEME_COLORS.light },
    { media: '(prefers-color-scheme: dark)', color: THEME_COLORS.dark },
  ],
};

// Every page is rendered per request: the Content-Security-Policy of proxy.ts carries a fresh
// nonce, which Next can only put on the scripts of a page it renders now, never on a prerendered
// one. The service worker keeps a copy of the app shell for offline use (see app/sw.ts).
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const nonce = await readNonce();
  return (
    // The theme script sets data-theme on <html> before React hydrates it.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Before the first paint, so that a chosen theme shows without a flash of the other. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript() }} />
      </head>
      <body>
        {children}
        <ServiceWorker />
      </body>
    </html>
  );
}

/** The nonce proxy.ts put into this request's Content-Security-Policy (as Next reads it too). */
async function readNonce(): Promise<string | undefined> {
  const policy = (await headers()).get('content-security-policy') ?? '';
  return /'nonce-([^']+)'/.exec(policy)?.[1];
}
