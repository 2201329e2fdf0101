import Link from 'next/link';
import appStatus from '../components/app-status.module.css';

export const metadata = { title: 'Not found · Parley' };

/** The app's own 404: styled by the app's stylesheets (Next's default uses inline styles, which
 * the Content-Security-Policy refuses). */
export default function NotFound() {
  return (
    <main className={appStatus.status}>
      <h1>Not found</h1>
      <p>There is no such page.</p>
      <Link href="/chats">Back to your chats</Link>
    </main>
  );
}
