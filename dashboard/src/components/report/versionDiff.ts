// What one version of a report changed against the version before it, figure by figure.
export interface VersionFigure {
  key: string;
  label: string;
  value: number;
}

export interface FigureDifference {
  key: string;
  label: string;
  before: number | null;
  after: number | null;
}

export function versionDifferences(before: readonly VersionFigure[], after: readonly VersionFigure[]): FigureDifference[] {
  const old = new Map(before.map((figure) => [figure.key, figure]));
  const now = new Map(after.map((figure) => [figure.key, figure]));
  const keys = [...new Set([...old.keys(), ...now.keys()])].sort();
  return keys
    .map((key) => ({ key, label: (now.get(key) ?? old.get(key))!.label, before: old.get(key)?.value ?? null, after: now.get(key)?.value ?? null }))
    .filter((difference) => difference.before !== difference.after);
}
