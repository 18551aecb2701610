import { ApiError, errors } from './errors.ts';

/**
 * Reads the next file part of a multipart/form-data body. Malformed multipart (no boundary, broken
 * part headers) is the client's mistake, never a 500; limits the multipart parser enforces keep
 * their own 4xx.
 */
export async function readFilePart<Part>(next: () => Promise<Part | undefined>): Promise<Part | undefined> {
  try {
    return await next();
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof ApiError || (status && status >= 400 && status < 500)) throw error;
    throw errors.badRequest('The multipart/form-data body could not be read');
  }
}
