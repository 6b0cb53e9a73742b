/**
 * What an ARCO cancellation writes in place of the titular's data where the row must stay
 * (billing, KPI and contract counts) and the column cannot be NULL. Migration 0032 allows the
 * official-id and call-back placeholders only on anonymised rows.
 */
export const CANCELLED_NAME = 'Titular cancelado';
/** appointments / appointment_cases.official_id (0032: only with anonymised_at). */
export const CANCELLED_OFFICIAL_ID = 'CANCELADO';
/** appointment_cases.birth_date is NOT NULL and read as text by the case views; not a real date of anyone. */
export const CANCELLED_BIRTH_DATE = '1900-01-01';
/** Phone columns without a format check, and voice_callbacks.phone (0032 allows it). */
export const CANCELLED_NUMBER = 'anonimizado';
