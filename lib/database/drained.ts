// Backpressure for COPY … FROM STDIN: after a write() that returned false, wait until the
// stream asks for more (or fails) before writing on, so that a large load never sits in memory.
export function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: unknown) => {
      stream.off('drain', done);
      stream.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
  });
}
