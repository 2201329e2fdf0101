'use client';
// Settings, in place of the chat list as in WhatsApp Web: the profile, privacy (with the people
// blocked), this browser's theme, notifications and sound, and the account (password, sign-out
// everywhere, sign-out). Each row is the control that owns its dialog.

import {
  ArrowLeft,
  Bell,
  KeyRound,
  LogOut,
  MonitorSmartphone,
  Palette,
  Shield,
  Volume2,
} from 'lucide-react';
import type { ReactNode } from 'react';
import { useChatState } from '../hooks/use-chat';
import { ChangePasswordDialog } from './change-password-dialog';
import { NotificationsToggle } from './notifications-toggle';
import { PrivacyDialog } from './privacy-dialog';
import { ProfileDialog } from './profile-dialog';
import { SignOutButton } from './sign-out-button';
import { SignOutEverywhereButton } from './sign-out-everywhere-button';
import { SoundSetting } from './sound-setting';
import { ThemeSetting } from './theme-setting';
import styles from './settings-panel.module.css';

function Row({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <li className={styles.row}>
      <span className={styles.icon} aria-hidden="true">
        {icon}
      </span>
      {children}
    </li>
  );
}

export function SettingsPanel({ onClose }: { onClose: () => void }) {
  const me = useChatState((state) => state.me);
  const profile = useChatState((state) => state.profile);
  return (
    <section className={styles.panel} aria-labelledby="settings-title" data-testid="settings">
      <header className={styles.header}>
        <button type="button" className={styles.back} onClick={onClose} aria-label="Close settings">
          <ArrowLeft aria-hidden="true" size={22} />
        </button>
        <h2 id="settings-title">Settings</h2>
      </header>
      <div className={styles.profile}>
        <ProfileDialog />
        <div className={styles.who}>
          <span className={styles.name}>{profile.displayName || me.username}</span>
          <span className={styles.handle}>@{me.username}</span>
        </div>
      </div>
      <ul className={styles.rows}>
        <Row icon={<Shield size={20} />}>
          <PrivacyDialog />
        </Row>
        <Row icon={<Palette size={20} />}>
          <ThemeSetting />
        </Row>
        <Row icon={<Bell size={20} />}>
          <NotificationsToggle />
        </Row>
        <Row icon={<Volume2 size={20} />}>
          <SoundSetting />
        </Row>
        <Row icon={<KeyRound size={20} />}>
          <ChangePasswordDialog />
        </Row>
        <Row icon={<MonitorSmartphone size={20} />}>
          <SignOutEverywhereButton />
        </Row>
        <Row icon={<LogOut size={20} />}>
          <SignOutButton />
        </Row>
      </ul>
    </section>
  );
}
