import { invalidRequest } from '../errors';
import { isHttpUrl } from '../http';
import type { Locale } from '../types';

/** Reads an optional string field sent either camelCase (the SDK) or snake_case (newer docs). */
export function stringField(body: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw invalidRequest('invalid_parameter', `${name} must be a string`);
    }
    if (value.trim() !== '') return value.trim();
  }
  return undefined;
}

export function requireHttpUrl(value: string | undefined, field: string, code: string): string {
  if (value === undefined) {
    throw invalidRequest(`missing_${code}`, `${field} is required`);
  }
  if (!isHttpUrl(value)) {
    throw invalidRequest(`invalid_${code}`, `${field} must be an absolute http(s) URL`);
  }
  return value;
}

export function parseLocale(value: string | undefined): Locale {
  if (value === undefined) return 'zh-TW';
  if (value === 'zh-TW' || value === 'en') return value;
  throw invalidRequest('invalid_locale', `locale must be "zh-TW" or "en", got "${value}"`);
}
