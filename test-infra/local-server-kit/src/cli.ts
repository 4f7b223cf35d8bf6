/*
 * The command line of a local server (its bin/ script): parse the arguments, start the
 * server, say where it listens, run until SIGINT or SIGTERM, stop.
 */

/** Options every server's command line has. */
export interface ServerCliOptions {
  host: string;
  port: number;
}

/** What the runner needs of a server. */
export interface StoppableServer {
  readonly url: string;
  stop(): Promise<void>;
}

export interface ServerCli<
  Options extends ServerCliOptions,
  Server extends StoppableServer,
> {
  /** The command's name, e.g. `argocd-local`: it starts every line the runner writes. */
  name: string;
  /** Written on --help (stdout) and after a wrong argument (stderr). */
  usage: string;
  /** Throws an Error that says what is wrong. */
  parseArgs(argv: string[]): Options | 'help';
  start(options: Options): Promise<Server>;
  /** What follows `[name] ` once the server listens. Default `listening on URL`. */
  listening?(server: Server, options: Options): string;
  /**
   * The message after `name: ` when the address is taken (`host:port`). Default
   * `host:port is in use; stop what runs there or pass another --port`.
   */
  addressInUse?(address: string): string;
  /**
   * Errors of `start` other than EADDRINUSE: written to stderr with exit code 1 (default),
   * or thrown (`'throw'`) for the bin script to report.
   */
  startErrors?: 'report' | 'throw';
  /**
   * Runs once the server listens (and that was written); returns what to do before the
   * server stops, if anything.
   */
  started?(
    server: Server,
    options: Options,
  ): void | (() => Promise<void> | void);
  /** Resolves when the server is to stop. Default: on SIGINT or SIGTERM. */
  untilStopped?(): Promise<void>;
}

/** Writes `[name] line` to stdout: the request log of a command-line server. */
export function prefixedLog(name: string): (line: string) => void {
  return line => process.stdout.write(`[${name}] ${line}\n`);
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise<void>(resolve => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * Runs a server's command line; resolves with the exit code: 0 after --help or a clean
 * stop, 1 when the server cannot start, 2 for wrong arguments.
 */
export async function runServerCli<
  Options extends ServerCliOptions,
  Server extends StoppableServer,
>(argv: string[], cli: ServerCli<Options, Server>): Promise<number> {
  let options: Options | 'help';
  try {
    options = cli.parseArgs(argv);
  } catch (error) {
    process.stderr.write(
      `${cli.name}: ${(error as Error).message}\n${cli.usage}`,
    );
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(cli.usage);
    return 0;
  }
  let server: Server;
  try {
    server = await cli.start(options);
  } catch (error: any) {
    if (error?.code === 'EADDRINUSE') {
      const address = `${options.host}:${options.port}`;
      process.stderr.write(
        `${cli.name}: ${
          cli.addressInUse?.(address) ??
          `${address} is in use; stop what runs there or pass another --port`
        }\n`,
      );
      return 1;
    }
    if (cli.startErrors === 'throw') throw error;
    process.stderr.write(`${cli.name}: ${error?.message ?? error}\n`);
    return 1;
  }
  process.stdout.write(
    `[${cli.name}] ${
      cli.listening?.(server, options) ?? `listening on ${server.url}`
    }\n`,
  );
  const beforeStop = cli.started?.(server, options);
  await (cli.untilStopped ?? untilSignal)();
  await beforeStop?.();
  await server.stop();
  return 0;
}
