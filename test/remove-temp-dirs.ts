// After each test file (and its own afterAll hooks, which stop its servers): the folders it made
// with makeTempDir go. A Vitest worker can be ended without its process's exit event.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/paths';

afterAll(removeTempDirs);
