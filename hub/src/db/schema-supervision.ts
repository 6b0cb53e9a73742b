// Tables of issue 9's supervision feature (migration owned by that feature); filled in by it.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SupervisionTables {}
