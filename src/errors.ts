/**
 * Errors the service layer raises. They carry an HTTP-like status and a stable code so each API surface
 * can render them in its own shape; their messages are written for the person who sent the request.
 */
export interface ErrorDetail {
  field?: string;
  index?: number;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(400, 'VALIDATION_FAILED', message, details);
  }
}

/** A malformed query: unknown parameter, field or operator, or a value of the wrong type. */
export class InvalidQueryError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(400, 'INVALID_QUERY', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required: send a valid bearer token') {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found', details?: ErrorDetail[]) {
    super(404, 'NOT_FOUND', message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(409, 'CONFLICT', message, details);
  }
}

/** Too many requests (a rate limit or a quota); `Retry-After` says how many seconds to wait. */
export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'RATE_LIMITED', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'SERVICE_UNAVAILABLE', message);
  }
}
