// Same work, checked: run by bench/thesis.ts with Node 24 in the rendered TypeScript service's
// folder (its Connect client and generated code). Each service verifies the tokens the other one
// signed and one the bench signed with node:crypto, and both refuse a token with a flipped
// signature byte. Prints one JSON line; exits 1 on any disagreement.
//   node --conditions=development cross-check.ts <rust port> <ts port> <bench token>
import { ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { TokenService } from '#proto/thesis/token/v1/token.proto';

const [rustPort, tsPort, benchToken] = process.argv.slice(2);
const client = (port: string | undefined) => createClient(TokenService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
const services = { rust: client(rustPort), typescript: client(tsPort) };

const failures: string[] = [];
const signed: Record<string, string> = { bench: benchToken! };
for (const [name, service] of Object.entries(services)) {
  signed[name] = (await service.sign({ subject: 'user-1', audience: 'thesis-api', ttlSeconds: 300 })).token;
}
// Identical claims at the same second give byte-identical tokens (Ed25519 is deterministic), if
// both encode header and claims alike; a second boundary between the calls can differ.
const sameBytes = signed['rust'] === signed['typescript'];
for (const [verifier, service] of Object.entries(services)) {
  for (const [signer, token] of Object.entries(signed)) {
    try {
      const claims = await service.verify({ token });
      if (claims.issuer !== 'thesis' || claims.audience !== 'thesis-api' || !claims.subject) failures.push(`${verifier} verified ${signer}'s token with claims ${JSON.stringify({ ...claims, issuedAt: String(claims.issuedAt), expiresAt: String(claims.expiresAt) })}`);
    } catch (error) {
      failures.push(`${verifier} refused ${signer}'s token: ${ConnectError.from(error).message}`);
    }
  }
  const [h, p, s] = signed['bench']!.split('.');
  const bytes = Buffer.from(s!, 'base64url');
  bytes[0]! ^= 1;
  const forged = `${h}.${p}.${bytes.toString('base64url')}`;
  const refused = await service.verify({ token: forged }).then(() => false, (error: unknown) => ConnectError.from(error).code === 16);
  if (!refused) failures.push(`${verifier} did not refuse a forged token with UNAUTHENTICATED`);
}
console.log(JSON.stringify({ ok: failures.length === 0, sameBytes, failures }));
process.exit(failures.length === 0 ? 0 : 1);
