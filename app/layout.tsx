import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { ServiceWorker } from '../components/service-worker';
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
    { media: '(prefers-color-scheme: light)', color: '#0b6e4f' },
    { media: '(prefers-color-scheme: dark)', color: '#111b21' },
  ],
};

// Every page is rendered per request: the Content-Security-Policy of proxy.ts carries a fresh
// nonce, which Next can only put on the scripts of a page it renders now, never on a prerendered
// one. The service worker keeps a copy of the app shell for offline use (see app/sw.ts).
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        {children}
        <ServiceWorker />
      </body>
    </html>
  );
}
