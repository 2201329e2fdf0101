import { AuthForm } from '../../components/auth-form';

export const metadata = { title: 'Sign in · Parley' };

/** Static, so that the service worker can show it offline too. */
export default function Page() {
  return <AuthForm mode="sign-in" />;
}
