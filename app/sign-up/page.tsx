import { AuthForm } from '../../components/auth-form';

export const metadata = { title: 'Sign up · Parley' };

/** Static, so that the service worker can show it offline too. */
export default function Page() {
  return <AuthForm mode="sign-up" />;
}
