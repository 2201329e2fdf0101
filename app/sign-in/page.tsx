import { redirect } from 'next/navigation';
import { AuthForm } from '../../components/auth-form';
import { getSignedInUser } from '../session';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · Parley' };

export default async function SignInPage() {
  if (await getSignedInUser()) redirect('/chats');
  return <AuthForm mode="sign-in" />;
}
