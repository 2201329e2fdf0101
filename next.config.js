// Next.js configuration. The app is served by the custom server in server/main.ts,
// which attaches Socket.IO to the same port; see docs/architecture.md.

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server components reach the server's single database instance through
  // server/app-context.ts; these packages must never be bundled into them.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'argon2', 'pino'],
  experimental: {
    // forbidden(): /admin answers 403 to signed-in users who are not admins.
    authInterrupts: true,
  },
};

export default nextConfig;
