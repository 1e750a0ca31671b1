import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors';

export interface ParameterProblem {
  param: string;
  code: string;
  message: string;
}

export function parameterProblems(error: z.core.$ZodError): ParameterProblem[] {
  return error.issues.map((issue) => ({
    param: issue.path.length ? String(issue.path[0]) : '(request)',
    code: issue.code,
    message:
      issue.path.length > 1
        ? `item ${issue.path.slice(1).join('.')}: ${issue.message}`
        : issue.message,
  }));
}

/** zValidator that turns a failed parse into one 400 JSON error naming each bad parameter. */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const problems = parameterProblems(result.error);
      throw new ApiError(
        400,
        'invalid_parameters',
        problems.map((p) => `${p.param}: ${p.message}`).join('; '),
        { parameters: problems },
      );
    }
  });
}
