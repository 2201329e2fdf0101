import { redirect } from 'next/navigation';
import { getSignedInUser } from './session';

export const dynamic = 'force-dynamic';

export default async function Home() {
  redirect((await getSignedInUser()) ? '/chats' : '/sign-in');
}
