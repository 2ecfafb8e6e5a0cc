/**
 * Errors a user can fix (bad scenario, bad flag, unreadable file). The CLI prints only the
 * message (no stack) and exits with code 2. Anything else is an internal error: exit 1.
 */
export class UserError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
