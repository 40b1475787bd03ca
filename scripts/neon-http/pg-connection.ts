import { createConnection, type Socket } from "node:net";
import { type DatabaseError, parse, serialize } from "pg-protocol";
import type {
  BackendMessage,
  CommandCompleteMessage,
  DataRowMessage,
  ReadyForQueryMessage,
  RowDescriptionMessage,
} from "pg-protocol/dist/messages.js";
import { continueScram, startScram, verifyScramServer } from "./scram.ts";

export interface PgTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  applicationName?: string;
}

/** One statement of the extended protocol: its text with $n placeholders and the parameters as text. */
export interface Statement {
  text: string;
  params: (string | null)[];
}

/** A column as PostgreSQL describes it (and as Neon's endpoint answers it: always text format). */
export interface Column {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: "text";
}

export interface StatementOutcome {
  fields: Column[];
  rows: (string | null)[][];
  commandTag: string;
  error?: DatabaseError;
}

interface InFlight {
  outcomes: StatementOutcome[];
  done: number;
  resolve(outcomes: StatementOutcome[]): void;
  reject(error: Error): void;
}

type AuthMessage = BackendMessage & { mechanisms?: string[]; data?: string };

/**
 * A connection to PostgreSQL speaking the extended query protocol with pipelining: `run` writes
 * every statement (Parse, Bind, Describe, Execute, Sync each) in one write and reads the answers
 * back in order, so a batch costs one round trip however many statements it holds. Values come
 * back as PostgreSQL's text, untouched: the Neon driver parses them itself by type OID.
 */
export class PgConnection {
  /** The transaction status of the last ReadyForQuery: I (idle), T (in a transaction), E (failed one). */
  private status = "I";
  private broken = false;
  private inFlight: InFlight | undefined;
  private startup: ((message: BackendMessage) => void) | undefined;
  private failStartup: ((error: Error) => void) | undefined;
  private socketError: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    void parse(socket, (message) => {
      try {
        this.receive(message);
      } catch (error) {
        socket.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on("error", (error) => {
      this.socketError = error;
    });
    socket.on("close", () => this.fail(this.socketError ?? new Error("PostgreSQL closed the connection")));
  }

  static open(target: PgTarget, connectTimeoutMs: number): Promise<PgConnection> {
    const socket = createConnection({ host: target.host, port: target.port });
    const connection = new PgConnection(socket);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => socket.destroy(new Error(`timed out after ${connectTimeoutMs} ms connecting to PostgreSQL`)),
        connectTimeoutMs,
      );
      const settle = (error?: Error) => {
        clearTimeout(timer);
        connection.startup = undefined;
        connection.failStartup = undefined;
        if (error) reject(error);
        else resolve(connection);
      };
      connection.failStartup = settle;
      connection.startup = connection.authenticator(target, settle);
      socket.on("connect", () => {
        const parameters: Record<string, string> = { user: target.user, database: target.database };
        if (target.applicationName) parameters.application_name = target.applicationName;
        socket.write(serialize.startup(parameters));
      });
    });
  }

  /** Whether the connection can take another batch: open, and not inside a transaction left behind. */
  get reusable(): boolean {
    return !this.broken && !this.inFlight && this.status === "I";
  }

  /** Sends all statements at once, each closed by its own Sync, and answers each one's outcome. */
  run(statements: Statement[]): Promise<StatementOutcome[]> {
    if (this.broken) return Promise.reject(new Error("the connection to PostgreSQL is closed"));
    if (this.inFlight) return Promise.reject(new Error("a batch is already running on this connection"));
    return new Promise((resolve, reject) => {
      const outcomes = statements.map(() => ({ fields: [], rows: [], commandTag: "" }));
      this.inFlight = { outcomes, done: 0, resolve, reject };
      const messages = statements.flatMap((statement) => [
        serialize.parse({ text: statement.text }),
        serialize.bind({ values: statement.params }),
        serialize.describe({ type: "P" }),
        serialize.execute(),
        serialize.sync(),
      ]);
      this.socket.write(Buffer.concat(messages));
    });
  }

  close(): void {
    if (this.broken) return;
    this.broken = true;
    this.socket.end(serialize.end());
  }

  private fail(error: Error): void {
    this.broken = true;
    this.failStartup?.(error);
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    // A FATAL error (the server shutting down, the database dropped) arrives just before the close.
    const fatal = inFlight?.outcomes[inFlight.done]?.error;
    inFlight?.reject(fatal ?? error);
  }

  private receive(message: BackendMessage): void {
    if (this.startup) {
      this.startup(message);
      return;
    }
    const inFlight = this.inFlight;
    const current = inFlight?.outcomes[inFlight.done];
    switch (message.name) {
      case "rowDescription":
        if (current) current.fields = (message as RowDescriptionMessage).fields.map(columnOf);
        break;
      case "dataRow":
        current?.rows.push((message as DataRowMessage).fields);
        break;
      case "commandComplete":
        if (current) current.commandTag = (message as CommandCompleteMessage).text;
        break;
      case "error":
        if (current) current.error = message as DatabaseError;
        break;
      case "copyInResponse":
        // Nothing can stream a COPY's rows over HTTP; refusing it ends the statement with an error.
        this.socket.write(serialize.copyFail("COPY FROM STDIN is not supported over HTTP"));
        break;
      case "readyForQuery":
        this.status = (message as ReadyForQueryMessage).status;
        if (inFlight && ++inFlight.done === inFlight.outcomes.length) {
          this.inFlight = undefined;
          inFlight.resolve(inFlight.outcomes);
        }
        break;
      default:
      // ParseComplete, BindComplete, NoData, notices and parameter changes carry nothing to answer.
    }
  }

  /** The startup exchange: trust, a clear-text password or SCRAM-SHA-256, then ReadyForQuery. */
  private authenticator(target: PgTarget, settle: (error?: Error) => void): (message: BackendMessage) => void {
    let scram: { session: ReturnType<typeof startScram>; serverSignature?: string } | undefined;
    const password = () => {
      if (target.password === undefined)
        throw new Error("PostgreSQL asks for a password; the connection string has none");
      return target.password;
    };
    return (message) => {
      const auth = message as AuthMessage;
      switch (message.name) {
        case "authenticationCleartextPassword":
          this.socket.write(serialize.password(password()));
          break;
        case "authenticationMD5Password":
          throw new Error("PostgreSQL asks for MD5 password authentication; use scram-sha-256 (its default since 14)");
        case "authenticationSASL": {
          if (!auth.mechanisms?.includes("SCRAM-SHA-256")) {
            throw new Error(`PostgreSQL offers no supported SASL mechanism (${auth.mechanisms?.join(", ")})`);
          }
          password(); // refuse before the exchange starts when the URL has none
          scram = { session: startScram(target.user) };
          this.socket.write(serialize.sendSASLInitialResponseMessage("SCRAM-SHA-256", scram.session.clientFirst));
          break;
        }
        case "authenticationSASLContinue": {
          if (!scram) throw new Error("SCRAM: unexpected server message");
          const answer = continueScram(scram.session, password(), auth.data ?? "");
          scram.serverSignature = answer.serverSignature;
          this.socket.write(serialize.sendSCRAMClientFinalMessage(answer.clientFinal));
          break;
        }
        case "authenticationSASLFinal":
          verifyScramServer(auth.data ?? "", scram?.serverSignature ?? "");
          break;
        case "error":
          settle(message as DatabaseError);
          this.close();
          break;
        case "readyForQuery":
          this.status = (message as ReadyForQueryMessage).status;
          settle();
          break;
        default:
        // AuthenticationOk, ParameterStatus, BackendKeyData: nothing to do.
      }
    };
  }
}

function columnOf(field: RowDescriptionMessage["fields"][number]): Column {
  return {
    name: field.name,
    tableID: field.tableID,
    columnID: field.columnID,
    dataTypeID: field.dataTypeID,
    dataTypeSize: field.dataTypeSize,
    dataTypeModifier: field.dataTypeModifier,
    format: "text",
  };
}
