// 0027_appointment_procedures (issue 11): procedures (trámites), cases, documents and their review (hub/src/appointments/procedures/).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the tables land
export interface AppointmentProcedureTables {}
