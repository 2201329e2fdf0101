import { forbidden, redirect } from 'next/navigation';
import { AdminConsole } from '../../components/admin-console';
import { getSignedInUser } from '../session';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Admin · Parley' };

/** The admin console. Only users with the admin role; everyone else gets 403. */
export default async function AdminPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await getSignedInUser();
  if (!user) redirect('/sign-in');
  if (!user.isAdmin) forbidden();
  const { section } = await searchParams;
  return (
    <AdminConsole
      currentUserId={user.id}
      initialSection={typeof section === 'string' ? section : undefined}
    />
  );
}
