import { redirect } from 'next/navigation';
import { AuthForm } from '../../components/auth-form';
import { getSignedInUser } from '../session';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign up · Parley' };

export default async function SignUpPage() {
  if (await getSignedInUser()) redirect('/chats');
  return <AuthForm mode="sign-up" />;
}
