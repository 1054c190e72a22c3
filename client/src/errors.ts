export interface ApiErrorDetail {
  field?: string;
  index?: number;
  message: string;
}

/**
 * Every failure the client reports: the server's `{ error: { code, message, details } }` with the HTTP status,
 * or status 0 with code NETWORK_ERROR when no answer arrived at all.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Reads the error body of a failed response; a body that is not our JSON shape still gives a useful error. */
  static async fromResponse(res: Response): Promise<ApiError> {
    const requestId = res.headers.get('x-request-id') ?? undefined;
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
      ?.error;
    if (error && typeof error.message === 'string') {
      return new ApiError(
        res.status,
        typeof error.code === 'string' ? error.code : `HTTP_${res.status}`,
        error.message,
        Array.isArray(error.details) ? (error.details as ApiErrorDetail[]) : [],
        requestId,
      );
    }
    const reason = text.trim().slice(0, 200) || res.statusText || 'no body';
    return new ApiError(res.status, `HTTP_${res.status}`, `HTTP ${res.status}: ${reason}`, [], requestId);
  }

  static network(url: string, cause: unknown): ApiError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new ApiError(0, 'NETWORK_ERROR', `Could not reach ${url}: ${why}`);
  }
}
