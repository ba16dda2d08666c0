import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The environment of the processes the bench measures. They run as a user runs them: tsx with its
 * transform cache (`npm run bench` turns the cache off for itself, so as to leave nothing in the
 * temp root), warmed by each case's untimed warm-up. The cache lives where tsx puts it, under
 * TMPDIR, which for the children is a folder inside the bench's own work folder, removed with it.
 * No cdk8s upgrade check, and no CDK8S_OUTDIR from the caller's shell.
 */
export function benchChildEnv(work: string): NodeJS.ProcessEnv {
  const scratch = join(work, 'tmp');
  mkdirSync(scratch, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', TMPDIR: scratch };
  delete env.CDK8S_OUTDIR;
  delete env.TSX_DISABLE_CACHE;
  return env;
}
