/** Failures are our apiClient's ApiError (client/src): the server's `{ error: { code, message, details } }`. */
export { ApiError, type ApiErrorDetail as FieldProblem } from '../../../client/src/errors';

/** The words to show for any failure, whether the server explained it or the network failed. */
export const messageOf = (err: unknown): string =>
  err instanceof Error ? err.message : 'Something went wrong; try again';
