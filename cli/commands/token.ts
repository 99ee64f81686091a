// `gongkai token`: a bearer token for development and tests, signed with GONGKAI_JWT_SECRET
// (HS256) when set, otherwise with the development key the hub started by `gongkai start` trusts.
import { SignJWT } from 'jose';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { dataDir } from '../../lib/config.ts';
import { NATIONAL, ROLES, isJurisdiction, isRole } from '../../lib/auth/identity.ts';
import { devSigningKey } from '../../gateway/auth/devKeys.ts';
import { tokenConfigFromEnv } from '../../gateway/auth/tokens.ts';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new CliError('USAGE', `${name} needs a value`);
  return value;
}

const command: Command = {
  usage:
    'gongkai token --sub NAME [--region CODE | --national] [--roles analyst,editor,pii,admin] [--ttl 8h]\n\n' +
    'Prints a bearer token: HS256 with GONGKAI_JWT_SECRET when set, otherwise ES256 with the development\n' +
    `key under $GONGKAI_DATA_DIR/jwt (trusted by the hub \`gongkai start\` runs). Roles: ${ROLES.join(', ')}.\n` +
    `Every role, admin included, acts within --region (its subtree); --national (the same as --region ${NATIONAL})\n` +
    'gives the whole country. Roles need one of the two.',
  async run(args) {
    const subject = option(args, '--sub');
    if (!subject) throw new CliError('USAGE', '--sub is required (the user the token stands for)');
    const national = args.includes('--national');
    const given = option(args, '--region') ?? null;
    if (national && given !== null && given !== NATIONAL) throw new CliError('USAGE', `--national and --region ${given} contradict each other`);
    const region = national ? NATIONAL : given;
    if (region !== null && !isJurisdiction(region)) {
      throw new CliError('USAGE', `--region needs a 6-digit GB/T 2260 code (or ${NATIONAL}: --national), got '${region}'`);
    }
    const roles = (option(args, '--roles') ?? '').split(',').filter(Boolean);
    const unknown = roles.filter((role) => !isRole(role));
    if (unknown.length) throw new CliError('USAGE', `unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
    if (roles.length && region === null) {
      throw new CliError('USAGE', 'a token with roles needs --region CODE (the jurisdiction they apply to) or --national (the whole country)');
    }
    const ttl = option(args, '--ttl') ?? '8h';
    const config = tokenConfigFromEnv();
    const claims = new SignJWT({ ...(region ? { region } : {}), roles })
      .setSubject(subject)
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime(ttl);
    if (config.secret) {
      console.log(await claims.setProtectedHeader({ alg: 'HS256' }).sign(config.secret));
    } else {
      const key = await devSigningKey(dataDir());
      console.log(await claims.setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(key.privateKey));
    }
  },
};

export default command;
