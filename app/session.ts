// Server-side: the signed-in user of the current request, from the session cookie.
import 'server-only';
import { cookies } from 'next/headers';
import { getAppContext } from '../server/app-context';
import { SESSION_COOKIE } from '../protocol';

export async function getSignedInUser(): Promise<{
  id: string;
  username: string;
  isAdmin: boolean;
} | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const session = await getAppContext().authenticate(token);
  return session
    ? {
        id: session.user.id,
        username: session.user.username,
        isAdmin: session.user.role === 'admin',
      }
    : null;
}
