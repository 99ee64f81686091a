// Progress of a long command on stderr: redrawn in place on a terminal, a plain line every few
// seconds otherwise (CI logs, pipes), so that stdout stays free for results.
export interface ProgressLine {
  /** A terminal: worth drawing a bar in. */
  readonly interactive: boolean;
  /** Shows `text` unless the last draw was too recent; `force` always shows it. */
  draw(text: string, force?: boolean): void;
  /** After the last draw: ends the redrawn line. */
  end(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const interactive = stream.isTTY === true;
  let lastDraw = 0;
  return {
    interactive,
    draw(text, force = false) {
      const now = Date.now();
      if (!force && now - lastDraw < (interactive ? 100 : 5000)) return;
      lastDraw = now;
      if (interactive) stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 120) - 1)}`);
      else stream.write(`${text}\n`);
    },
    end() {
      if (interactive) stream.write('\n');
    },
  };
}

/** A bar and a space on a terminal; nothing in a log, where a bar is noise. */
export const progressBar = (line: ProgressLine, share: number, width = 24): string =>
  line.interactive ? `[${'#'.repeat(Math.round(Math.min(1, Math.max(0, share)) * width)).padEnd(width, '.')}] ` : '';

export interface Progress {
  /** Count `n` more items done; `note` names the current one. */
  tick(n?: number, note?: string): void;
  done(): void;
}

/** Progress through a known number of items: bar, count, share and rate. */
export function createProgress(label: string, total: number, stream?: NodeJS.WriteStream): Progress {
  const line = progressLine(stream);
  const started = Date.now();
  let count = 0;
  const text = (note = '') => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const share = total > 0 ? count / total : 1;
    return `${label} ${progressBar(line, share)}${count}/${total} (${Math.round(share * 100)}%) ${(count / seconds).toFixed(1)}/s ${note}`.trimEnd();
  };
  return {
    tick(n = 1, note) {
      count += n;
      line.draw(text(note));
    },
    done() {
      line.draw(text(), true);
      line.end();
    },
  };
}
