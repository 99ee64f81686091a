// Helpers for DataLoader batch functions: one SQL statement answers a whole batch of keys, and
// these put its rows back in the order of the keys.
import DataLoader from 'dataloader';

export function byKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | null)[] {
  const index = new Map<K, R>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}

export function groupedByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * A field with arguments (`agencies(sector: …)`) batches per distinct argument set: each set
 * gets its own loader, so a dashboard asking the same thing of 300 regions costs one statement.
 */
export function loaderFamily<A, K, V>(
  create: (args: A) => DataLoader<K, V>,
): (args: A) => DataLoader<K, V> {
  const loaders = new Map<string, DataLoader<K, V>>();
  return (args) => {
    const signature = JSON.stringify(args);
    let loader = loaders.get(signature);
    if (!loader) {
      loader = create(args);
      loaders.set(signature, loader);
    }
    return loader;
  };
}
