// The parts of a municipal subgraph's protection, each alone: the circuit breaker on a clock of
// the test's own, the SDL comparison behind DRIFTED, the cleaning of a city's errors, and the
// checks of the settings an admin gives.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../gateway/registry/circuitBreaker.ts';
import { normaliseSdl, sdlDrifted } from '../../gateway/registry/drift.ts';
import { cleanedAnswer } from '../../gateway/registry/municipalErrors.ts';
import { SubgraphResilience } from '../../gateway/registry/subgraphLimits.ts';
import { checkSettings, redactedHeaders } from '../../gateway/registry/subgraphSettings.ts';

describe('the circuit breaker', () => {
  const breaker = (failures = 3, cooldownMs = 1000, windowMs = 60_000) => {
    const clock = { now: 0 };
    return { clock, breaker: new CircuitBreaker({ failures, cooldownMs, windowMs }, () => clock.now) };
  };

  it('opens after N failures in a row, refuses during the cool-down, lets one probe through, closes on its success', () => {
    const { clock, breaker: b } = breaker();
    for (let i = 0; i < 2; i++) expect((b.admit(), b.failed(), b.state)).toBe('closed');
    b.admit();
    b.failed();
    expect(b.state).toBe('open');
    expect(b.admit()).toBe(false);
    clock.now = 999;
    expect(b.admit()).toBe(false);
    clock.now = 1000;
    expect(b.state).toBe('half-open');
    expect(b.admit()).toBe(true);
    // one probe at a time
    expect(b.admit()).toBe(false);
    b.succeeded();
    expect(b.state).toBe('closed');
    expect(b.admit()).toBe(true);
  });

  it('opens again for a full cool-down when the probe fails', () => {
    const { clock, breaker: b } = breaker(1, 1000);
    b.failed();
    clock.now = 1500;
    expect(b.admit()).toBe(true);
    b.failed();
    expect(b.state).toBe('open');
    clock.now = 2400;
    expect(b.admit()).toBe(false);
    clock.now = 2500;
    expect(b.admit()).toBe(true);
  });

  it('does not add up failures further apart than its window, and a success resets the streak', () => {
    const { clock, breaker: b } = breaker(2, 1000, 10_000);
    b.failed();
    clock.now = 20_000;
    b.failed();
    expect(b.state).toBe('closed');
    b.succeeded();
    b.failed();
    expect(b.state).toBe('closed');
    b.failed();
    expect(b.state).toBe('open');
  });
});

describe('drift', () => {
  const sdl = 'type Query { a: Int }\n\n# a comment\ntype Region @key(fields: "code") { code: ID! cityReview: Float }';
  it('ignores whitespace, comments and the order of definitions', () => {
    const reordered = 'type Region @key(fields: "code") {\n  code: ID!\n  cityReview: Float\n}\ntype Query {\n  a: Int\n}';
    expect(sdlDrifted(sdl, reordered)).toBe(false);
    expect(normaliseSdl(sdl)).toBe(normaliseSdl(reordered));
  });
  it('sees a field removed, retyped or added, and an SDL that does not parse', () => {
    expect(sdlDrifted(sdl, sdl.replace(' cityReview: Float', ''))).toBe(true);
    expect(sdlDrifted(sdl, sdl.replace('cityReview: Float', 'cityReview: String'))).toBe(true);
    expect(sdlDrifted(sdl, sdl.replace('a: Int', 'a: Int b: Int'))).toBe(true);
    expect(sdlDrifted(sdl, 'type {')).toBe(true);
  });
});

describe("a city's errors", () => {
  it('keeps a clean coded message, masks internals and maps validation and internal errors to stable codes', () => {
    const cleaned = cleanedAnswer('city_review', {
      data: { _entities: [null] },
      errors: [
        { message: '没有该地区的数据', path: ['_entities', 0], extensions: { code: 'NOT_FOUND', stacktrace: ['at /srv/x.js'] } },
        { message: 'boom at http://10.1.2.3:4100/graphql', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        { message: 'Cannot query field "x" on type "Y".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        { message: 'failed\n    at handler (/srv/review/app.js:12:3)', extensions: { code: 'REVIEW_FAILED' } },
        { message: 'no code' },
      ],
    })!;
    const errors = cleaned.errors as { message: string; path?: unknown; extensions: { code: string } }[];
    expect(errors.map((e) => e.extensions)).toEqual([{ code: 'NOT_FOUND' }, { code: 'SUBGRAPH_ERROR' }, { code: 'SUBGRAPH_BAD_REQUEST' }, { code: 'REVIEW_FAILED' }, { code: 'SUBGRAPH_ERROR' }]);
    expect(errors[0]).toEqual({ message: '没有该地区的数据', path: ['_entities', 0], extensions: { code: 'NOT_FOUND' } });
    expect(cleaned.data).toEqual({ _entities: [null] });
    const text = JSON.stringify(cleaned);
    for (const leak of ['10.1.2.3', '/srv/', 'stacktrace', 'http://']) expect(text).not.toContain(leak);
    for (const error of errors.slice(1)) expect(error.message).toContain('city_review');
  });
  it('leaves an answer without errors alone', () => {
    expect(cleanedAnswer('city_review', { data: { a: 1 } })).toBeNull();
  });
});

describe('the settings an admin gives', () => {
  const code = (input: Parameters<typeof checkSettings>[0]) => {
    try {
      checkSettings(input);
      return 'OK';
    } catch (error) {
      return `${(error as { extensions: { code: string; argument: string } }).extensions.code} ${(error as { extensions: { argument: string } }).extensions.argument}: ${(error as Error).message}`;
    }
  };
  it('accepts values within range and refuses the others, naming the argument', () => {
    expect(code({ timeoutMs: 500, maxConcurrency: 4, breakerFailures: 3, breakerCooldownMs: 1000 })).toBe('OK');
    expect(code({ timeoutMs: 10 })).toMatch(/^BAD_USER_INPUT timeoutMs/);
    expect(code({ maxConcurrency: 0 })).toMatch(/^BAD_USER_INPUT maxConcurrency/);
    expect(code({ breakerFailures: 1.5 })).toMatch(/^BAD_USER_INPUT breakerFailures/);
    expect(code({ breakerCooldownMs: 10_000_000 })).toMatch(/^BAD_USER_INPUT breakerCooldownMs/);
  });
  it('refuses headers the gateway sets, bad names and bad values — never repeating a value', () => {
    expect(code({ outboundHeaders: [{ name: 'Authorization', value: 'Bearer abc' }] })).toBe('OK');
    for (const name of ['Host', 'x-gongkai-signature', 'Content-Type', 'bad name']) expect(code({ outboundHeaders: [{ name, value: 'v' }] })).toMatch(/^BAD_USER_INPUT outboundHeaders/);
    const refused = code({ outboundHeaders: [{ name: 'Authorization', value: 'secret-value\r\nX: y' }] });
    expect(refused).toMatch(/^BAD_USER_INPUT outboundHeaders/);
    expect(refused).not.toContain('secret-value');
    expect(code({ outboundHeaders: [{ name: 'A', value: '1' }, { name: 'a', value: '2' }] })).toMatch(/given twice/);
  });
  it('shows header names only', () => {
    expect(redactedHeaders({ 'X-Api-Key': 'k', Authorization: 'Bearer s' })).toEqual(['Authorization: ***', 'X-Api-Key: ***']);
  });
});

describe('the guards of one subgraph', () => {
  it('refuses over the cap at once and does not count it as a failure', async () => {
    const resilience = new SubgraphResilience();
    resilience.configure(new Map([['city', { limits: { timeoutMs: 1000, maxConcurrency: 1, breakerFailures: 1, breakerCooldownMs: 60_000 }, headers: {} }]]));
    let release!: () => void;
    const first = resilience.run('city', () => new Promise<string>((resolve) => (release = () => resolve('ok'))), () => true);
    await expect(resilience.run('city', async () => 'second', () => true)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_BUSY', serviceName: 'city' } });
    release();
    expect(await first).toBe('ok');
    expect(resilience.breakerState('city')).toBe('closed');
    // one failure opens this one (breakerFailures 1); an error that is an answer does not
    await expect(resilience.run('city', async () => Promise.reject(new Error('its own error')), () => false)).rejects.toThrow('its own error');
    expect(resilience.breakerState('city')).toBe('closed');
    await expect(resilience.run('city', async () => Promise.reject(new Error('no answer')), () => true)).rejects.toThrow('no answer');
    await expect(resilience.run('city', async () => 'never sent', () => true)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_CIRCUIT_OPEN' } });
    resilience.checked('city', { status: 'DRIFTED', latencyMs: 3, error: 'schema drifted' });
    await expect(resilience.run('city', async () => 'never sent', () => true)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_DRIFTED' } });
    // re-registered: it answered with the SDL now registered, and its old failures no longer count
    resilience.registered('city');
    expect(await resilience.run('city', async () => 'sent', () => true)).toBe('sent');
  });
});
