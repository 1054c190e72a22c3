export interface FieldProblem {
  field?: string;
  message: string;
}

/** A failed API call, as the server explained it (`{ error: { code, message, details } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static async from(res: Response): Promise<ApiError> {
    const body = (await res.json().catch(() => null)) as {
      error?: { code?: string; message?: string; details?: FieldProblem[] };
    } | null;
    const e = body?.error;
    return new ApiError(
      res.status,
      e?.code ?? `HTTP_${res.status}`,
      e?.message ?? `The server answered ${res.status} ${res.statusText}`,
      e?.details ?? [],
    );
  }
}

/** The words to show for any failure, whether the server explained it or the network failed. */
export const messageOf = (err: unknown): string =>
  err instanceof Error ? err.message : 'Something went wrong; try again';
