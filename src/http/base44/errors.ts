import type { ErrorShape } from '../error-handler';

/**
 * Errors as Base44 answers them, so the SDK's `Base44Error` gets a real message (`message`) and code
 * (`code`). Validation failures are 422 there, with the fields named in `extra_data`.
 */
export const base44ErrorShape: ErrorShape = (e, req) => ({
  status: e.code === 'VALIDATION_FAILED' ? 422 : e.status,
  body: {
    message: e.message,
    detail: e.message,
    error_type: e.code,
    code: e.code,
    request_id: req.requestId,
    ...(e.details?.length ? { extra_data: { details: e.details } } : {}),
  },
});
