'use client';
// The tab's icon with the number of unread messages on it (as WhatsApp Web's), drawn on a
// canvas over the app's icon; the plain icon again when nothing is unread or the page goes.

import { useEffect } from 'react';

const ICON = '/icons/icon-192.png';
const SIZE = 64;

/** "1" to "99", then "99+". */
function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}

function iconLinks(): HTMLLinkElement[] {
  return [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')];
}

function setIcon(href: string): void {
  for (const link of iconLinks()) link.href = href;
}

function drawBadge(icon: HTMLImageElement, count: number): string | null {
  const canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.drawImage(icon, 0, 0, SIZE, SIZE);
  const text = badgeText(count);
  const radius = text.length > 2 ? 20 : 17;
  const centre = { x: SIZE - radius, y: radius };
  context.fillStyle = '#d92d20';
  context.beginPath();
  context.arc(centre.x, centre.y, radius, 0, 2 * Math.PI);
  context.fill();
  context.fillStyle = '#ffffff';
  context.font = `bold ${text.length > 2 ? 17 : 24}px system-ui, sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText(text, centre.x, centre.y + 1);
  return canvas.toDataURL('image/png');
}

export function useUnreadFavicon(unread: number): void {
  useEffect(() => {
    if (unread <= 0) {
      setIcon(ICON);
      return;
    }
    let isCurrent = true;
    const icon = new Image();
    icon.onload = () => {
      const href = isCurrent ? drawBadge(icon, unread) : null;
      if (href) setIcon(href);
    };
    icon.src = ICON;
    return () => {
      isCurrent = false;
    };
  }, [unread]);
  useEffect(() => () => setIcon(ICON), []);
}
