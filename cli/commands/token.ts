// `gongkai token`: a bearer token for development and tests, signed with GONGKAI_JWT_SECRET
// (HS256) when set, otherwise with the development key the hub started by `gongkai start` trusts.
import { SignJWT } from 'jose';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT, printJson, wantsJson } from '../outcome.ts';
import { dataDir } from '../../lib/config.ts';
import { NATIONAL, ROLES, isJurisdiction, isRole } from '../../lib/auth/identity.ts';
import { devSigningKey } from '../../gateway/auth/devKeys.ts';
import { tokenConfigFromEnv } from '../../gateway/auth/tokens.ts';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new CliError('USAGE', `token: ${name} needs a value`);
  return value;
}

const OPTIONS = new Set(['--sub', '--region', '--national', '--roles', '--ttl', '--json']);
const TAKES_VALUE = new Set(['--sub', '--region', '--roles', '--ttl']);

/** Every argument is a known option or the value of one: a typo is refused, not ignored. */
function checkArguments(args: string[]): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!OPTIONS.has(arg)) throw new CliError('USAGE', `token: unknown argument ${arg}; the options are ${[...OPTIONS].join(', ')}`);
    if (TAKES_VALUE.has(arg)) i++;
  }
}

/** A duration as jose reads it (8h, 30m, 2 days); anything else would fail inside the signer. */
const DURATION = /^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|y|yr|yrs|year|years)$/i;

const command: Command = {
  usage:
    'gongkai token --sub NAME [--region CODE | --national] [--roles analyst,editor,pii,admin] [--ttl 8h]\n\n' +
    'Prints a bearer token: HS256 with GONGKAI_JWT_SECRET when set, otherwise ES256 with the development\n' +
    `key under $GONGKAI_DATA_DIR/jwt (trusted by the hub \`gongkai start\` runs). Roles: ${ROLES.join(', ')}.\n` +
    `Every role, admin included, acts within --region (its subtree); --national (the same as --region ${NATIONAL})\n` +
    'gives the whole country. Roles need one of the two.\n' +
    '  --json   print {ok, exitCode, token, claims, algorithm} on stdout\n' +
    'Exit code: 0 printed, 2 bad arguments.',
  async run(args) {
    checkArguments(args);
    const subject = option(args, '--sub');
    if (!subject) throw new CliError('USAGE', 'token: --sub NAME is required (the user the token stands for)');
    const national = args.includes('--national');
    const given = option(args, '--region') ?? null;
    if (national && given !== null && given !== NATIONAL) throw new CliError('USAGE', `token: --national and --region ${given} contradict each other; give one of them`);
    const region = national ? NATIONAL : given;
    if (region !== null && !isJurisdiction(region)) {
      throw new CliError('USAGE', `token: --region needs a 6-digit GB/T 2260 code (or ${NATIONAL}: --national), got '${region}'`);
    }
    const roles = (option(args, '--roles') ?? '').split(',').filter(Boolean);
    const unknown = roles.filter((role) => !isRole(role));
    if (unknown.length) throw new CliError('USAGE', `token: unknown role ${unknown.join(', ')}; the roles are ${ROLES.join(', ')}`);
    if (roles.length && region === null) {
      throw new CliError('USAGE', 'token: a token with roles needs --region CODE (the jurisdiction they apply to) or --national (the whole country)');
    }
    const ttl = option(args, '--ttl') ?? '8h';
    if (!DURATION.test(ttl)) throw new CliError('USAGE', `token: --ttl needs a duration such as 8h, 30m or 7d, got '${ttl}'`);
    const config = tokenConfigFromEnv();
    const claims = new SignJWT({ ...(region ? { region } : {}), roles })
      .setSubject(subject)
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime(ttl);
    let token: string;
    if (config.secret) token = await claims.setProtectedHeader({ alg: 'HS256' }).sign(config.secret);
    else {
      const key = await devSigningKey(dataDir());
      token = await claims.setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(key.privateKey);
    }
    if (wantsJson(args)) {
      printJson({ ok: true, exitCode: EXIT.ok, token, claims: { sub: subject, ...(region ? { region } : {}), roles, ttl }, algorithm: config.secret ? 'HS256' : 'ES256' });
    } else console.log(token);
    return EXIT.ok;
  },
};

export default command;
