import { forbidden, redirect } from 'next/navigation';
import { AdminSettings } from '../../components/admin-settings';
import { getSignedInUser } from '../session';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Admin · Parley' };

/** Operator settings. Only users with the admin role; everyone else gets 403. */
export default async function AdminPage() {
  const user = await getSignedInUser();
  if (!user) redirect('/sign-in');
  if (!user.isAdmin) forbidden();
  return <AdminSettings />;
}
