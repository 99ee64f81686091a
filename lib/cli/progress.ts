// Progress of a long command on stderr: a redrawn bar on a terminal, a plain line every few
// seconds otherwise (CI logs, pipes), so that stdout stays free for results.
export interface Progress {
  /** Count `n` more items done; `note` names the current one. */
  tick(n?: number, note?: string): void;
  done(): void;
}

export function createProgress(label: string, total: number | null, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  let count = 0;
  let lastDraw = 0;
  const interactive = stream.isTTY === true;
  const line = (note = '') => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? `${(count / seconds).toFixed(1)}/s` : '';
    if (total === null) return `${label} ${count} ${rate} ${note}`.trimEnd();
    const share = total > 0 ? count / total : 1;
    const bar = interactive ? `[${'#'.repeat(Math.round(share * 24)).padEnd(24, '.')}] ` : '';
    return `${label} ${bar}${count}/${total} (${Math.round(share * 100)}%) ${rate} ${note}`.trimEnd();
  };
  const draw = (note?: string, force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < (interactive ? 100 : 5000)) return;
    lastDraw = now;
    if (interactive) stream.write(`\r\x1b[2K${line(note).slice(0, (stream.columns ?? 120) - 1)}`);
    else stream.write(`${line(note)}\n`);
  };
  return {
    tick(n = 1, note) {
      count += n;
      draw(note);
    },
    done() {
      draw(undefined, true);
      if (interactive) stream.write('\n');
    },
  };
}
