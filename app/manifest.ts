import type { MetadataRoute } from 'next';

/** The web app manifest (/manifest.webmanifest): what makes Parley installable. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: '/chats',
    name: 'Parley',
    short_name: 'Parley',
    description: 'Text chat you can host yourself.',
    start_url: '/chats',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait-primary',
    background_color: '#f0f2f5',
    theme_color: '#0b6e4f',
    categories: ['social', 'communication'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}
