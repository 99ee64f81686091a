// No Docker engine runs here, so the deployment files are checked against the code instead:
// every service exists, listens where the code listens, and reaches what the code reaches.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES } from '../../lib/config.ts';
import { defaultRoutingUrl } from '../../gateway/composeSupergraph.ts';
import { projectRoot } from '../support/cli.ts';

// merge: docker compose resolves YAML merge keys (<<: *subgraph), so the test does too.
const compose = parse(readFileSync(`${projectRoot}docker-compose.yml`, 'utf8'), { merge: true });
const dockerfile = readFileSync(`${projectRoot}Dockerfile`, 'utf8');
const portOf = (url: string) => new URL(url).port;

describe('docker-compose.yml', () => {
  it('names postgres, the three subgraphs and the gateway', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['agencies', 'gateway', 'hotline', 'postgres', 'reports']);
  });

  it.each(SUBGRAPH_NAMES)('runs the %s subgraph on the port the supergraph routes to, with its database', (name) => {
    const service = compose.services[name];
    expect(service.command).toEqual(['serve', name]);
    const port = portOf(defaultRoutingUrl(name));
    expect(service.environment[`${name.toUpperCase()}_PORT`]).toBe(port);
    expect(service.expose).toContain(port);
    expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\/gongkai$/);
    expect(JSON.stringify(service.healthcheck.test)).toContain(`localhost:${port}/health`);
    expect(service.depends_on.postgres.condition).toBe('service_healthy');
    expect(service.environment.GONGKAI_INTERNAL_KEY).toMatch(/GONGKAI_INTERNAL_KEY/);
  });

  it('points the gateway at every subgraph service and publishes port 4000', () => {
    const gateway = compose.services.gateway;
    expect(gateway.command).toEqual(['serve', 'gateway']);
    for (const name of SUBGRAPH_NAMES) {
      expect(gateway.environment[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${portOf(defaultRoutingUrl(name))}/graphql`);
      expect(gateway.depends_on[name].condition).toBe('service_healthy');
    }
    expect(gateway.ports).toContain(`${gateway.environment.PORT}:4000`);
    // the same signing key as the subgraphs, and the token settings the gateway reads
    expect(gateway.environment.GONGKAI_INTERNAL_KEY).toBe(compose.services.agencies.environment.GONGKAI_INTERNAL_KEY);
    for (const name of ['GONGKAI_JWT_JWKS', 'GONGKAI_JWT_SECRET', 'GONGKAI_JWT_ISSUER', 'GONGKAI_JWT_AUDIENCE']) expect(gateway.environment).toHaveProperty(name);
    expect(compose.services.hotline.environment.GONGKAI_PII_KEY).toMatch(/GONGKAI_PII_KEY/);
    expect(JSON.stringify(gateway.healthcheck.test)).toContain('localhost:4000/health');
  });

  it('builds every service from one Dockerfile whose entry point is the gongkai bin', () => {
    for (const name of SUBGRAPH_NAMES) expect(compose.services[name].build).toBe('.');
    expect(compose.services.gateway.build).toBe('.');
    expect(dockerfile).toMatch(/ENTRYPOINT \[.*"bin\/gongkai\.js"\]/);
    expect(dockerfile).toContain('APOLLO_TELEMETRY_DISABLED=1');
    for (const dir of ['bin', 'cli', 'lib', 'gateway', 'subgraphs', 'schema']) expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
    // the gateway serves the dashboard from dashboard/dist (gateway/pages/staticFiles.ts)
    expect(dockerfile).toContain('COPY --from=dashboard /build/dashboard/dist ./dashboard/dist');
    expect(dockerfile).toContain('RUN node scripts/build-dashboard.mjs');
  });
});
