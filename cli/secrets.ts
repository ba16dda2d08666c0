import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { secretValue, type RequiredSecret } from '../constructs/index.js';
import { checkSystem } from './check.js';

/**
 * `polyglot secrets [dir]`: the Secrets the system needs, with fresh random values, as YAML on
 * stdout (or applied with `--apply`). Never written to the outdir or any file: a value exists
 * only in this process and the cluster. Keys that must agree (a service's NATS password and its
 * entry in `nats-users`, which holds its bcrypt hash) get the same value. TLS Secrets and the
 * credentials of external endpoints cannot be made up: they are listed on stderr with the command
 * that creates them.
 */
export function secretsCommand(): Command {
  return new Command('secrets')
    .description('print the Secrets the system needs (NATS passwords…) with fresh random values, or apply them with kubectl; nothing is written to disk')
    .argument('[dir]', 'the system directory (holds main.ts)', '.')
    .option('--apply', 'pipe them to `kubectl apply -f -` instead of printing them')
    .action(async (dir: string, options: { apply?: boolean }) => {
      const report = await checkSystem(dir, { quiet: true, inProcess: true });
      const { manifestYaml } = await import('../constructs/index.js');
      if (!report.requiredSecrets) {
        const errors = report.problems.filter((p) => p.severity === 'error').length;
        throw new Error(`the model has ${errors} error${errors === 1 ? '' : 's'}; run \`polyglot check ${dir}\` and fix them first`);
      }
      const generated = report.requiredSecrets.filter((s) => s.type === 'generated');
      const yaml = manifestYaml(secretObjects(generated));
      for (const tls of report.requiredSecrets.filter((s) => s.type === 'tls')) {
        console.error(`bring your own certificate: kubectl -n ${tls.namespace} create secret tls ${tls.name} --cert=<file> --key=<file>   # ${tls.purpose}`);
      }
      for (const provided of report.requiredSecrets.filter((s) => s.type === 'provided')) {
        const literals = Object.keys(provided.keys).map((key) => `--from-literal=${key}=<${key}>`).join(' ');
        console.error(`bring the values you already have: kubectl -n ${provided.namespace} create secret generic ${provided.name} ${literals}   # ${provided.purpose}`);
      }
      if (generated.length === 0) {
        console.error('the system needs no generated Secrets');
        return;
      }
      if (!options.apply) {
        process.stdout.write(yaml);
        return;
      }
      const applied = spawnSync('kubectl', ['apply', '-f', '-'], { input: yaml, stdio: ['pipe', 'inherit', 'inherit'] });
      if (applied.error) throw new Error(`could not run kubectl: ${applied.error.message}`);
      if (applied.status !== 0) process.exitCode = 1;
    });
}

/** Secret objects, with one random value per value id. */
export function secretObjects(secrets: readonly RequiredSecret[], random = () => randomBytes(32).toString('hex')): unknown[] {
  const values = new Map<string, string>();
  const valueOf = (id: string) => {
    if (!values.has(id)) values.set(id, random());
    return values.get(id)!;
  };
  return secrets.map((secret) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secret.name, namespace: secret.namespace, labels: { 'app.kubernetes.io/managed-by': 'polyglot' } },
    type: 'Opaque',
    stringData: Object.fromEntries(Object.entries(secret.keys).map(([key, id]) => [key, secretValue(id, valueOf)])),
  }));
}
