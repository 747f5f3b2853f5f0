/**
 * A byte link to an instrument: a serial port, a TCP socket, or the usbtmc character device.
 * The line transport above it frames commands and replies the same way on every link; a link
 * only moves bytes and says when it is gone.
 */
export interface LinkEvents {
  data(chunk: Buffer): void;
  /** Once, when the link closes for any reason other than close() (cable pulled, peer gone). */
  closed(reason: string): void;
  /** Something worth a line in the console (a failed write). */
  note(text: string): void;
}

export interface Link {
  /** For messages: the port path, host:port, or device path. */
  readonly name: string;
  /**
   * True when the instrument's reply only comes when asked for (usbtmc: each read(2) is a request
   * to the instrument): the transport calls read() after a query, and sends nothing else until its
   * reply is in, as IEEE 488.2 message exchange requires.
   */
  readonly readsOnRequest: boolean;
  /** Bytes onto the line (latin1). */
  write(bytes: string): void;
  /** Asks for one reply (links that read on request). */
  read(): void;
  /** Discards what was received and not yet read. */
  discardInput(): Promise<void>;
  /** Lets queued bytes reach the line, then releases it. */
  close(): Promise<void>;
}

export type LinkOpener = (events: LinkEvents) => Promise<Link>;
