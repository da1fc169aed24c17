// The operator's CLI, for what must not wait for an admin to exist (npm run admin -- <command>):
//   create-admin EMAIL   makes the account an admin; creates it when missing and prints a one-time
//                        password to change at first sign-in. Audited as a role change by "cli".
// It uses the same configuration as the server (DATABASE_URL, DATA_DIR …), read by config.ts.
import { randomBytes } from 'node:crypto';
import { normalizeEmail } from './auth/email.ts';
import { hashPassword } from './auth/passwords.ts';
import { AuditService } from './admin/audit.ts';
import { loadConfig } from './config.ts';
import { createDb } from './db.ts';
import { applyMigrations } from './migrations.ts';

const USAGE = 'usage: npm run admin -- create-admin EMAIL';

async function createAdmin(emailArgument: string): Promise<string> {
  const email = normalizeEmail(emailArgument);
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error(`Not an e-mail address: ${emailArgument}\n${USAGE}`);
  const config = loadConfig();
  await applyMigrations(config.database.url);
  const db = createDb(config.database);
  try {
    const existing = await db.user.findUnique({ where: { email } });
    let password: string | null = null;
    const user = existing
      ? await db.user.update({ where: { id: existing.id }, data: { role: 'ADMIN', disabledAt: null } })
      : await db.user.create({ data: { email, role: 'ADMIN', passwordHash: await hashPassword((password = randomBytes(12).toString('base64url')), config.auth.bcryptCost) } });
    await new AuditService(db).record(
      { actor: null, actorEmail: 'cli', ip: 'local', userAgent: 'admin-cli' },
      { action: 'user.role_changed', target: { type: 'User', id: user.id }, details: { from: existing?.role ?? null, to: 'ADMIN' } },
    );
    return password
      ? `Created the admin account ${email}. Its password (shown once, keep it safe): ${password}\nSign in at /admin.`
      : `${email} is now an admin. Sign in at /admin.`;
  } finally {
    await db.$disconnect();
  }
}

const [command, argument] = process.argv.slice(2);
if (command !== 'create-admin' || !argument) {
  console.error(USAGE);
  process.exit(2);
}
createAdmin(argument).then(
  (message) => console.log(message),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
