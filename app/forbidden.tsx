import Link from 'next/link';
import appStatus from '../components/app-status.module.css';

export default function Forbidden() {
  return (
    <main className={appStatus.status}>
      <h1>Not for you</h1>
      <p>This page is for Parley admins only.</p>
      <Link href="/chats">Back to your chats</Link>
    </main>
  );
}
