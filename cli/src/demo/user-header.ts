import type { Request } from 'express';

/** Which connected user a request to the demo service acts for (the scenario sets it on every call). */
export const USER_HEADER = 'x-user-id';

export function userIdOf(req: Request): string | undefined {
  return req.header(USER_HEADER);
}
