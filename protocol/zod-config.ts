// Before any schema exists: in browsers, zod must not probe for eval. To compile faster object
// parsers it tries `Function("")` once, which the page's Content-Security-Policy refuses (and
// reports as a violation); without eval zod parses the same way, only interpreted. Servers keep
// the compiled parsers.
import { z } from 'zod';

if (typeof window !== 'undefined') z.config({ jitless: true });
