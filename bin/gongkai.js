#!/usr/bin/env -S node --experimental-strip-types --disable-warning=ExperimentalWarning
// The project runs its TypeScript directly through Node's type stripping: no build step.
// Node 22.17 still needs the flag above; later versions accept it as a no-op.
import { runAsProcess } from '../cli/main.ts';

runAsProcess();
