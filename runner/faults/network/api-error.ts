/** A client error of the fault proxy API, with the HTTP status Toxiproxy would give. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
