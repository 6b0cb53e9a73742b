// 0028_appointment_reminders (issue 11): reminder and confirmation settings, reminders sent, confirmation campaigns, post-visit surveys (hub/src/appointments/reminders/).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the tables land
export interface AppointmentReminderTables {}
