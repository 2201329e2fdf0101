import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="app-status">
      <h1>Not for you</h1>
      <p>This page is for Parley admins only.</p>
      <Link href="/chats">Back to your chats</Link>
    </main>
  );
}
