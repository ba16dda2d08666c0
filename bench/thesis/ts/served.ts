// The thesis bench's handlers of thesis.token.v1.TokenService (bench/thesis.ts writes this file
// over the rendered src/grpc/served.ts): Ed25519 JWT signing and verification with node:crypto,
// the same work and checks as the Rust service's `hotpath` crate (jsonwebtoken, EdDSA): the same
// header, claims and validation (signature, alg EdDSA only, iss, aud, exp, iat, no leeway).
// node:crypto's one-shot sign/verify with a callback runs on libuv's thread pool, as WebCrypto
// (and so the `jose` library) does: the idiomatic Node.js way to keep crypto off the event loop.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import type { Clients } from './clients.ts';
import { serve, type ServedContract } from './serve.ts';
import { TokenService } from '#proto/thesis/token/v1/token.proto';

/** The issuer of every token, and the one audience Verify accepts. */
const ISSUER = 'thesis';
const AUDIENCE = 'thesis-api';
/** jsonwebtoken's header for EdDSA without a key id, byte for byte. */
const HEADER = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'EdDSA' })).toString('base64url');

interface Claims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
}

export function notImplemented(method: string): ConnectError {
  return new ConnectError(`${method} is not implemented yet: write it in src/grpc/served.ts`, Code.Unimplemented);
}

function key(name: string): string {
  const pem = process.env[name];
  if (!pem) throw new Error(`${name} is not set (a PEM key)`);
  return pem;
}

const ed25519Sign = (data: Buffer, privateKey: KeyObject) =>
  new Promise<Buffer>((resolve, reject) => sign(null, data, privateKey, (error, signature) => (error ? reject(error) : resolve(signature))));
const ed25519Verify = (data: Buffer, publicKey: KeyObject, signature: Buffer) =>
  new Promise<boolean>((resolve, reject) => verify(null, data, publicKey, signature, (error, ok) => (error ? reject(error) : resolve(ok))));

const now = () => Math.floor(Date.now() / 1000);
const unauthenticated = (why: string) => new ConnectError(`token rejected: ${why}`, Code.Unauthenticated);

function parseJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw unauthenticated(`malformed ${what}`);
}

export function servedContracts(clients: Clients): ServedContract[] {
  void clients;
  const privateKey = createPrivateKey(key('THESIS_JWT_PRIVATE_KEY'));
  const publicKey = createPublicKey(key('THESIS_JWT_PUBLIC_KEY'));
  if (privateKey.asymmetricKeyType !== 'ed25519' || publicKey.asymmetricKeyType !== 'ed25519') throw new Error('the THESIS_JWT_* keys must be Ed25519');

  return [
    serve(TokenService, {
      async sign(request) {
        if (!request.subject || !request.audience || request.ttlSeconds === 0) {
          throw new ConnectError('subject, audience and ttl_seconds are required', Code.InvalidArgument);
        }
        const iat = now();
        const claims: Claims = { iss: ISSUER, sub: request.subject, aud: request.audience, iat, exp: iat + request.ttlSeconds };
        const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
        const signature = await ed25519Sign(Buffer.from(input), privateKey);
        return { token: `${input}.${signature.toString('base64url')}` };
      },

      async verify(request) {
        const parts = request.token.split('.');
        if (parts.length !== 3) throw unauthenticated('not a compact JWS');
        const [header, payload, signature] = parts as [string, string, string];
        if (parseJson(header, 'header')['alg'] !== 'EdDSA') throw unauthenticated('algorithm is not EdDSA');
        if (!(await ed25519Verify(Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url')))) throw unauthenticated('bad signature');
        const claims = parseJson(payload, 'payload');
        const { iss, sub, aud, iat, exp } = claims;
        // The Rust Claims struct requires all five, with these types.
        if (typeof iss !== 'string' || typeof sub !== 'string' || typeof aud !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') throw unauthenticated('missing required claims');
        if (iss !== ISSUER) throw unauthenticated('wrong issuer');
        if (aud !== AUDIENCE) throw unauthenticated('wrong audience');
        const at = now();
        if (exp <= at) throw unauthenticated(`expired at ${exp} (now ${at})`);
        if (iat > at) throw unauthenticated(`issued in the future (${iat} > now ${at})`);
        return { issuer: iss, subject: sub, audience: aud, issuedAt: BigInt(iat), expiresAt: BigInt(exp) };
      },
    }),
  ];
}
