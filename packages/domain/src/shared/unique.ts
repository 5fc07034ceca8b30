import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { conflict } from '../errors.js';

/** A unique-index race (two concurrent writes of one name) becomes a conflict: "<what> already exists." */
export async function uniquely<T>(what: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw conflict(`${what} already exists.`);
    throw e;
  }
}
