// 0029_appointment_external (issue 11): external scheduling systems: settings, the mirror outbox, reconciliation runs (hub/src/appointments/external/).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the tables land
export interface AppointmentExternalTables {}
