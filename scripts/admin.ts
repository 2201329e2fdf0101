// Grants or revokes the admin role, from the command line, against the database the server
// uses (the same DATABASE_URL or DATA_DIR). Usage:
//   npm run admin -- grant <username>
//   npm run admin -- revoke <username>
//   npm run admin -- list

import { DataDirLockedError, listAdmins, openDatabase, setUserRole } from '../db';
import { ConfigError, loadConfig } from '../server/config';

const USAGE = 'Usage: npm run admin -- grant <username> | revoke <username> | list';

async function main(args: string[]): Promise<number> {
  const [command, rawUsername] = args;
  if (command !== 'list' && !(command === 'grant' || command === 'revoke')) {
    console.error(USAGE);
    return 2;
  }
  if (command !== 'list' && !rawUsername) {
    console.error(`Name the user. ${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 1,
  });
  try {
    if (command === 'list') {
      const admins = await listAdmins(database.db);
      console.log(
        admins.length ? admins.map((admin) => admin.username).join('\n') : 'No admins yet.',
      );
      return 0;
    }
    const username = rawUsername!.trim().toLowerCase();
    const user = await setUserRole(database.db, username, command === 'grant' ? 'admin' : 'user');
    if (!user) {
      console.error(`There is no user named “${username}”. Sign up first, then grant the role.`);
      return 1;
    }
    console.log(
      command === 'grant'
        ? `${user.username} is now an admin: the Admin link appears after their next page load.`
        : `${user.username} is no longer an admin.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof DataDirLockedError) {
      console.error(
        `${error.message}\nThe embedded database can be used by one process at a time: stop Parley, run this again, then start Parley.`,
      );
    } else if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error(error instanceof Error ? error.message : error);
    }
    process.exit(1);
  });
