// Errors as GitHub's REST API words them: a status, a message and, for 422, a list of field errors.

export interface FieldError {
  resource?: string;
  field?: string;
  code: string;
  message?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (): ApiError => new ApiError(404, 'Not Found');

export function validationFailed(errors: FieldError[]): ApiError {
  return new ApiError(422, 'Validation Failed', errors);
}

/** A 422 with GitHub's one-line message for Git Data and ref errors. */
export const unprocessable = (message: string): ApiError => new ApiError(422, message);
