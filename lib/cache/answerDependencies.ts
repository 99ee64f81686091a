// What a subgraph's answer to one request was computed from, collected while it resolves and
// sent to the gateway in `extensions.cache` for its answer cache (gateway/cache/). Absent when
// the answer must not be cached: a mutation, an error, personal data, a field that says so.
//
// Every resolver a subgraph defines has a declaration (its `cacheDeclarations`), checked when
// the subgraph starts: a new resolver without one stops the start, so no field can forget to
// say what it reads. The scope is decided by what the resolvers read of the caller: nothing (the
// answer is the same for everyone: `public`), the jurisdiction and roles (`jurisdiction`), or
// the caller's name (not cached: it would be someone's answer; whether there is a name at all —
// the public has none — scopes it like the jurisdiction).
import type { Identity } from '../auth/identity.ts';
import type { Dependency } from './changes.ts';

/**
 * How a resolver's answer depends on the data:
 * - `parent`: computed from its parent object alone (the parent's resolver declared the reads);
 * - `static`: reference data that changes only with a new version of the hub (regions, code lists);
 * - `uncacheable`: the whole answer is never cached (personal data, internal statistics, worklists);
 * - a function: the dependencies of its result (called after it resolved); null when this
 *   answer must not be cached (figures "as of now" of a period that has not ended).
 */
export type FieldDependencies<TContext> =
  | 'parent'
  | 'static'
  | 'uncacheable'
  | ((parent: never, args: never, context: TContext, result: never) => Dependencies | Promise<Dependencies>);

type Dependencies = Iterable<Dependency> | null;

/** `Type.field` (or `Type.__resolveReference`) → its dependencies. */
export type CacheDeclarations<TContext> = Record<string, FieldDependencies<TContext>>;

export type AnswerScope = 'public' | 'jurisdiction';

export interface CacheVerdict {
  scope: AnswerScope;
  dependencies: Dependency[];
}

export class AnswerDependencies {
  readonly #dependencies = new Set<Dependency>();
  #refusal: string | null = null;
  #jurisdictionRead = false;

  add(dependencies: Dependencies): void {
    if (dependencies === null) return this.refuse('an answer that changes without a write');
    for (const dependency of dependencies) this.#dependencies.add(dependency);
  }

  refuse(reason: string): void {
    this.#refusal ??= reason;
  }

  /**
   * The identity the resolvers see: reading its jurisdiction scopes the answer, reading a
   * caller's name makes it uncacheable (the public's absent name scopes it like a jurisdiction).
   */
  track(identity: Identity): Identity {
    const answer = this;
    return Object.freeze({
      get subject() {
        if (identity.subject === null) answer.#jurisdictionRead = true;
        else answer.refuse('reads the caller');
        return identity.subject;
      },
      get region() {
        answer.#jurisdictionRead = true;
        return identity.region;
      },
      get roles() {
        answer.#jurisdictionRead = true;
        return identity.roles;
      },
    });
  }

  /** null: not to be cached. */
  verdict(): CacheVerdict | null {
    if (this.#refusal !== null) return null;
    return { scope: this.#jurisdictionRead ? 'jurisdiction' : 'public', dependencies: [...this.#dependencies].sort() };
  }
}

type Resolver = (...args: unknown[]) => unknown;
type ResolverMap = Record<string, Record<string, unknown>>;

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown> | null)?.then === 'function';

/**
 * The resolvers with each one reporting what it read to the request's AnswerDependencies
 * (`answerOf(context)`); throws naming every resolver without a declaration (and every
 * declaration without a resolver: a renamed field must not leave a stale one behind).
 */
export function declareAnswerDependencies<TContext>(
  resolvers: ResolverMap,
  declarations: CacheDeclarations<TContext>,
  answerOf: (context: TContext) => AnswerDependencies,
): ResolverMap {
  const seen = new Set<string>();
  const undeclared: string[] = [];
  const wrapped: ResolverMap = {};
  for (const [type, fields] of Object.entries(resolvers)) {
    // scalars and enums: no resolver functions to declare
    if (typeof fields !== 'object' || fields === null || Object.values(fields).every((value) => typeof value !== 'function')) {
      wrapped[type] = fields;
      continue;
    }
    const out: Record<string, unknown> = {};
    for (const [field, resolver] of Object.entries(fields)) {
      if (typeof resolver !== 'function') {
        out[field] = resolver;
        continue;
      }
      const name = `${type}.${field}`;
      const declaration = declarations[name];
      seen.add(name);
      if (declaration === undefined) {
        undeclared.push(name);
        continue;
      }
      out[field] = wrap(resolver as Resolver, declaration, field === '__resolveReference', answerOf);
    }
    wrapped[type] = out;
  }
  const unused = Object.keys(declarations).filter((name) => !seen.has(name));
  if (undeclared.length > 0 || unused.length > 0) {
    throw new Error(
      `cache declarations do not match the resolvers: ${[
        ...(undeclared.length ? [`without a declaration: ${undeclared.join(', ')}`] : []),
        ...(unused.length ? [`declared without a resolver: ${unused.join(', ')}`] : []),
      ].join('; ')}`,
    );
  }
  return wrapped;
}

function wrap<TContext>(
  resolver: Resolver,
  declaration: FieldDependencies<TContext>,
  isReference: boolean,
  answerOf: (context: TContext) => AnswerDependencies,
): Resolver {
  if (declaration === 'parent' || declaration === 'static') return resolver;
  // __resolveReference(reference, context, info); a field (parent, args, context, info)
  const contextOf = (args: unknown[]) => (isReference ? args[1] : args[2]) as TContext;
  if (declaration === 'uncacheable') {
    return (...args: unknown[]) => {
      answerOf(contextOf(args)).refuse('uncacheable field');
      return resolver(...args);
    };
  }
  const record = (args: unknown[], result: unknown): unknown => {
    const context = contextOf(args);
    const answer = answerOf(context);
    const declare = declaration as (parent: unknown, args: unknown, context: TContext, result: unknown) => Dependencies | Promise<Dependencies>;
    try {
      const dependencies = declare(args[0], isReference ? {} : args[1], context, result);
      if (!isPromise(dependencies)) {
        answer.add(dependencies);
        return result;
      }
      return dependencies.then(
        (list) => (answer.add(list), result),
        () => (answer.refuse('a declaration failed'), result),
      );
    } catch {
      // an answer whose reads cannot be told is not cached; the answer itself is unaffected
      answer.refuse('a declaration failed');
      return result;
    }
  };
  return (...args: unknown[]) => {
    const result = resolver(...args);
    return isPromise(result) ? result.then((value) => record(args, value)) : record(args, result);
  };
}
