import { z } from 'zod';

// zod probes once whether it may compile validators with `new Function`; the page's
// Content-Security-Policy forbids eval, so the probe would be reported as a violation.
z.config({ jitless: true });
