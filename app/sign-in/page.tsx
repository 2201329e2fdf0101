import { AuthForm } from '../../components/auth-form';

export const metadata = { title: 'Sign in · Parley' };

/** Nothing per user is rendered on the server, so the service worker can keep it for offline use. */
export default function Page() {
  return <AuthForm mode="sign-in" />;
}
