import { AppError } from '../errors';

/** Runs work for record `index` of a batch; its failure names the record, so a client can tell which one. */
export async function forRecord<T>(index: number | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (index === undefined || !(err instanceof AppError)) throw err;
    const details = (err.details ?? [{ message: err.message }]).map((d) => ({ index, ...d }));
    throw new AppError(err.status, err.code, `Record ${index}: ${err.message}`, details);
  }
}
