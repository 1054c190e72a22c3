import {
  ConnectionError,
  DatabaseError,
  ForeignKeyConstraintError,
  TimeoutError,
  UniqueConstraintError,
} from 'sequelize';
import {
  AppError,
  ConflictError,
  InvalidQueryError,
  ServiceUnavailableError,
  ValidationError,
} from '../errors';

const SCOPE_COLUMNS = new Set(['organization_id']);

/**
 * Turns a database failure into an error a person can act on, without SQL or internals.
 * Returns undefined for failures that are bugs (those stay 500s, logged in full).
 */
export function fromDatabaseError(err: unknown, what = 'record'): AppError | undefined {
  if (err instanceof UniqueConstraintError) {
    const fields = Object.keys(err.fields ?? {}).filter((f) => !SCOPE_COLUMNS.has(f));
    const named = fields.length ? fields.join(', ') : 'these values';
    return new ConflictError(
      `A ${what} with this ${named} already exists`,
      fields.map((field) => ({ field, message: 'already in use' })),
    );
  }
  if (err instanceof ForeignKeyConstraintError) {
    return new ConflictError(
      `This ${what} is still referenced by other records, or refers to one that does not exist`,
    );
  }
  if (err instanceof ConnectionError || err instanceof TimeoutError) {
    return new ServiceUnavailableError('The database is not reachable right now; try again shortly');
  }
  if (err instanceof DatabaseError) {
    const code = (err.parent as { code?: string } | undefined)?.code;
    switch (code) {
      case '2201B':
        return new InvalidQueryError('A $regex pattern is not a valid regular expression');
      case '22001':
        return new ValidationError('A value is longer than its field allows');
      case '22003':
        return new ValidationError('A number is out of range for its field');
      case '22P02':
      case '22007':
      case '22008':
        return new AppError(400, 'INVALID_VALUE', 'A value does not have the type its field expects');
      case '57014':
        return new ServiceUnavailableError('The query took too long and was cancelled; narrow the filter');
      case '40001':
      case '40P01':
        return new ServiceUnavailableError('The change collided with another one; try again');
      case '53300':
        return new ServiceUnavailableError('The database has too many connections; try again shortly');
    }
  }
  return undefined;
}
