// The hub runs in closed networks: starting the gateway and answering a query must open no
// connection beyond this machine (no usage reporting, no cloud-metadata probes).
import net from 'node:net';
import dns from 'node:dns';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestHub } from '../support/hub.ts';

describe('the gateway in a closed network', () => {
  const destinations: string[] = [];
  const lookups: string[] = [];
  const realConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: any[]) {
    const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] };
    destinations.push(String(options.path ?? options.host ?? 'localhost'));
    return (realConnect as any).apply(this, args);
  } as typeof realConnect;
  const realLookup = dns.lookup;
  (dns as any).lookup = function (hostname: string, ...rest: any[]) {
    lookups.push(hostname);
    return (realLookup as any).call(dns, hostname, ...rest);
  };
  afterAll(() => {
    net.Socket.prototype.connect = realConnect;
    (dns as any).lookup = realLookup;
  });

  it('disables Apollo telemetry before the gateway is constructed', async () => {
    await import('../../gateway/server.ts');
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('1');
  });

  it('connects only to loopback while starting and answering', async () => {
    const hub = await startTestHub();
    const { data } = await hub.query('{ region(code: "430000") { name disclosure(year: 2024) { filed } hotlineTicketsReceived(year: 2024) } }');
    expect(data.region.name).toBe('湖南省');
    // give any background exporter a moment to try
    await new Promise((resolve) => setTimeout(resolve, 500));
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|\/.*)$/;
    expect(destinations.length).toBeGreaterThan(0);
    expect(destinations.filter((d) => !loopback.test(d))).toEqual([]);
    // 0.0.0.0 is looked up as the servers' bind address, not a destination.
    expect(lookups.filter((h) => h !== '0.0.0.0' && !loopback.test(h))).toEqual([]);
  });
});
