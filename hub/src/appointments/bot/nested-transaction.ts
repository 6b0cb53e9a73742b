import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type Transaction,
} from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * A `Kysely` whose every statement runs on an open transaction, and whose own transactions are
 * SAVEPOINTs inside it. The bot's turn holds a transaction (the session row lock) while the engine
 * calls its ports; the embedded PGlite has ONE connection, so a use case opening its own
 * transaction on the pool there would wait for the turn for ever. Through this, `bookAppointment`
 * and `cancelAppointment` keep their code (their transaction, locks and refusals unchanged: a
 * refusal rolls back to the savepoint, writing nothing) and commit with the turn that tells the
 * citizen the folio — a turn that fails leaves no booking nobody was told about, and its retry
 * books afresh.
 */
export function nestedTransaction(trx: Transaction<Database>): Kysely<Database> {
  return new Kysely<Database>({ dialect: new NestedDialect(trx) });
}

class NestedDialect implements Dialect {
  constructor(private readonly trx: Transaction<Database>) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new SavepointDriver(this.trx);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class SavepointDriver implements Driver {
  private depth = 0;
  private readonly connection: DatabaseConnection;

  constructor(trx: Transaction<Database>) {
    this.connection = {
      executeQuery: <R>(compiled: CompiledQuery): Promise<QueryResult<R>> => trx.executeQuery<R>(compiled),
      streamQuery: () => {
        throw new Error('streaming is not available inside a nested transaction');
      },
    };
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    this.depth += 1;
    await connection.executeQuery(CompiledQuery.raw(`SAVEPOINT nested_${this.depth}`));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`RELEASE SAVEPOINT nested_${this.depth}`));
    this.depth -= 1;
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`ROLLBACK TO SAVEPOINT nested_${this.depth}`));
    await connection.executeQuery(CompiledQuery.raw(`RELEASE SAVEPOINT nested_${this.depth}`));
    this.depth -= 1;
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}
