import { ApiError } from '../../api/api-error.js';
import type { SoftphoneError } from './softphone-device.js';

export type SoftphoneFailure = 'microphone' | 'token' | 'network' | 'unknown';

// Twilio Voice JS SDK error codes (https://www.twilio.com/docs/api/errors):
// 31401 UserMedia PermissionDeniedError, 31402 AcquisitionFailedError (no usable microphone);
// 20xxx access-token errors (invalid, expired, signature…);
// 31003 connection timeout, 31005 signaling connection error, 31009 transport, 53xxx signaling.
const MICROPHONE_CODES = new Set([31401, 31402]);
const NETWORK_CODES = new Set([31003, 31005, 31009]);
// What browsers throw from getUserMedia when the agent (or policy) says no / there is no device.
const MICROPHONE_NAMES = new Set(['NotAllowedError', 'PermissionDeniedError', 'NotFoundError', 'NotReadableError', 'SecurityError']);

function isSoftphoneError(error: unknown): error is SoftphoneError {
  return typeof error === 'object' && error !== null;
}

/** Which of the Spanish explanations an error from the hub, the network or the SDK gets. */
export function classifySoftphoneError(error: unknown): SoftphoneFailure {
  if (error instanceof ApiError) return error.status >= 500 ? 'network' : 'token';
  // fetch() rejects with a TypeError when the hub cannot be reached.
  if (error instanceof TypeError) return 'network';
  if (!isSoftphoneError(error)) return 'unknown';
  const { code, name } = error;
  if (typeof code === 'number') {
    if (MICROPHONE_CODES.has(code)) return 'microphone';
    if (code >= 20000 && code < 21000) return 'token';
    if (NETWORK_CODES.has(code) || (code >= 53000 && code < 54000)) return 'network';
  }
  if (typeof name === 'string' && MICROPHONE_NAMES.has(name)) return 'microphone';
  return 'unknown';
}

export function errorMessageOf(error: unknown): string {
  if (isSoftphoneError(error) && typeof error.message === 'string' && error.message !== '') return error.message;
  return String(error);
}
