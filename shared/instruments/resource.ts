/**
 * Where an instrument is, written as labs know it from VISA: a resource string.
 *
 *   /dev/ttyUSB0, ASRL/dev/ttyUSB0::INSTR   serial port (RS-232, USB-serial, a pseudo-terminal)
 *   TCPIP::192.168.1.20::5025::SOCKET         raw SCPI socket (LXI), commands and replies end in LF
 *   USB::/dev/usbtmc0, /dev/usbtmc0           the Linux usbtmc character device
 *   GPIB::24                                  GPIB address 24 through the configured Prologix controller
 *   GPIB::24@/dev/ttyUSB0, GPIB::24@host:1234 …through this Prologix GPIB-USB or GPIB-Ethernet controller
 *
 * and the command line's short forms: serial:PATH, tcp:HOST:PORT, usb:PATH, gpib:CONTROLLER:ADDR
 * (CONTROLLER a serial path or HOST[:PORT]). Keywords are case-insensitive; VISA board numbers
 * (TCPIP0, GPIB0) are accepted. Parsing never throws: it answers what the text is, or why not.
 */
export type TcpAddress = { host: string; port: number };

export type GpibController = { kind: 'serial'; path: string } | ({ kind: 'tcp' } & TcpAddress);

export type Resource =
  | { kind: 'serial'; path: string }
  | ({ kind: 'tcp' } & TcpAddress)
  | { kind: 'usbtmc'; path: string }
  /** `controller` null: the one configured for GPIB (the Instruments page's Prologix controller). */
  | { kind: 'gpib'; address: number; controller: GpibController | null };

export type ResourceKind = Resource['kind'];

export type ParsedResource = { ok: true; resource: Resource } | { ok: false; message: string };

/** The LXI raw-socket port most SCPI instruments listen on. */
export const SCPI_SOCKET_PORT = 5025;
/** The port of a Prologix GPIB-Ethernet controller. */
export const PROLOGIX_TCP_PORT = 1234;
/** Primary GPIB addresses (0 is usually the controller itself). */
export const GPIB_ADDRESS_MAX = 30;

const EXAMPLES = 'a port path (/dev/ttyUSB0), ASRL/dev/ttyUSB0::INSTR, TCPIP::HOST::5025::SOCKET, USB::/dev/usbtmc0 or GPIB::24';

const fail = (message: string): ParsedResource => ({ ok: false, message });
const ok = (resource: Resource): ParsedResource => ({ ok: true, resource });

export function parseResource(input: string): ParsedResource {
  const text = input.trim();
  if (text === '') return fail(`type where the instrument is: ${EXAMPLES}`);
  if (text.includes('\u0000')) return fail('an instrument address cannot contain a NUL character');
  const upper = text.toUpperCase();
  if (text.startsWith('/')) return bareDevicePath(text);
  if (upper.startsWith('ASRL')) return asrl(text.slice(4));
  if (/^TCPIP\d*::/i.test(text)) return tcpip(text.slice(text.indexOf('::') + 2));
  if (/^USB\d*::/i.test(text)) return usb(text.slice(text.indexOf('::') + 2));
  if (/^GPIB\d*::/i.test(text)) return gpib(text.slice(text.indexOf('::') + 2));
  const colon = text.indexOf(':');
  if (colon > 0) {
    const scheme = text.slice(0, colon).toLowerCase();
    const rest = text.slice(colon + 1);
    switch (scheme) {
      case 'serial':
        return devicePath(rest, 'serial');
      case 'tcp':
        return hostPort(rest, SCPI_SOCKET_PORT, 'tcp:HOST:PORT');
      case 'usb':
      case 'usbtmc':
        return devicePath(rest, 'usbtmc');
      case 'gpib':
        return gpibShort(rest);
    }
  }
  return fail(`'${shorten(text)}' is not an instrument address: use ${EXAMPLES}`);
}

/** The canonical text of a resource: parseResource(formatResource(r)) gives r back. */
export function formatResource(r: Resource): string {
  switch (r.kind) {
    case 'serial':
      // A bare path reads most naturally; only a path that looks like a usbtmc device needs ASRL.
      return isUsbtmcName(r.path) ? `ASRL${r.path}::INSTR` : r.path;
    case 'tcp':
      return `TCPIP::${formatHost(r.host)}::${r.port}::SOCKET`;
    case 'usbtmc':
      return `USB::${r.path}`;
    case 'gpib':
      return `GPIB::${r.address}${r.controller ? `@${formatController(r.controller)}` : ''}`;
  }
}

/** A GPIB resource through `controller` when it names none of its own. */
export function withController(r: Resource, controller: GpibController | null): Resource {
  return r.kind === 'gpib' && r.controller === null ? { ...r, controller } : r;
}

/** A Prologix controller: a serial path, or HOST[:PORT] (port 1234 by default). */
export function parseController(input: string): { ok: true; controller: GpibController } | { ok: false; message: string } {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'type the Prologix controller: its serial port (/dev/ttyUSB0) or its network address (HOST or HOST:1234)' };
  if (text.startsWith('/')) return { ok: true, controller: { kind: 'serial', path: text } };
  const tcp = /^TCPIP\d*::/i.test(text) ? tcpip(text.slice(text.indexOf('::') + 2)) : hostPort(text, PROLOGIX_TCP_PORT, 'HOST:PORT');
  if (!tcp.ok) return { ok: false, message: `the Prologix controller: ${tcp.message}` };
  const r = tcp.resource as { kind: 'tcp' } & TcpAddress;
  return { ok: true, controller: { kind: 'tcp', host: r.host, port: r.port } };
}

export function formatController(c: GpibController): string {
  return c.kind === 'serial' ? c.path : `${formatHost(c.host)}:${c.port}`;
}

/** For people: 'serial port /dev/ttyUSB0', 'LAN 192.168.1.20:5025', 'GPIB address 24 via /dev/ttyUSB0'. */
export function describeResource(r: Resource): string {
  switch (r.kind) {
    case 'serial':
      return `serial port ${r.path}`;
    case 'tcp':
      return `LAN ${formatHost(r.host)}:${r.port}`;
    case 'usbtmc':
      return `USB-TMC ${r.path}`;
    case 'gpib':
      return `GPIB address ${r.address}${r.controller ? ` via the Prologix controller on ${formatController(r.controller)}` : ''}`;
  }
}

/**
 * A run's device as the run engine records it: a scheme and the rest ('tcp' and 'HOST:PORT'),
 * the same as the command line's short form; deviceResource() reads it back.
 */
export function deviceSpecOf(r: Resource): { scheme: 'serial' | 'tcp' | 'usb' | 'gpib'; port: string } {
  switch (r.kind) {
    case 'serial':
      return { scheme: 'serial', port: r.path };
    case 'tcp':
      return { scheme: 'tcp', port: `${formatHost(r.host)}:${r.port}` };
    case 'usbtmc':
      return { scheme: 'usb', port: r.path };
    case 'gpib':
      return { scheme: 'gpib', port: r.controller ? `${formatController(r.controller)}:${r.address}` : String(r.address) };
  }
}

/** The resource of a run's device: 'serial' takes a path or any resource string, the others their short form. */
export function deviceResource(scheme: string, port: string): ParsedResource {
  if (scheme === 'serial') return port.startsWith('/') ? ok({ kind: 'serial', path: port }) : parseResource(port);
  if (scheme === 'gpib' && /^\d+$/.test(port)) return gpib(port);
  return parseResource(`${scheme}:${port}`);
}

// ---- the forms --------------------------------------------------------------------------------

function isUsbtmcName(path: string): boolean {
  return /(^|\/)usbtmc\d+$/.test(path);
}

function bareDevicePath(path: string): ParsedResource {
  return isUsbtmcName(path) ? ok({ kind: 'usbtmc', path }) : ok({ kind: 'serial', path });
}

function devicePath(path: string, kind: 'serial' | 'usbtmc'): ParsedResource {
  if (!path.startsWith('/')) return fail(`${kind === 'serial' ? 'a serial port' : 'a usbtmc device'} is a path starting with / (got '${shorten(path)}')`);
  return ok({ kind, path });
}

function asrl(rest: string): ParsedResource {
  const path = /::INSTR$/i.test(rest) ? rest.slice(0, -'::INSTR'.length) : rest;
  if (!path.startsWith('/')) {
    return fail(`ASRL resources name the port's path, e.g. ASRL/dev/ttyUSB0::INSTR (numbered ports such as ASRL1 are a Windows convention)`);
  }
  return ok({ kind: 'serial', path });
}

function tcpip(rest: string): ParsedResource {
  // HOST::PORT::SOCKET; an IPv6 host is written in brackets so its colons are not separators.
  const m = /^(\[[^\]]*\]|[^:]*)::(.*)$/.exec(rest);
  if (!m) return fail(`a LAN instrument is TCPIP::HOST::PORT::SOCKET (got 'TCPIP::${shorten(rest)}')`);
  const host = parseHost(m[1]!);
  if (host === null) return fail(`'${shorten(m[1]!)}' is not a host name or IP address`);
  const tail = m[2]!;
  if (/^(INSTR|inst\d+::INSTR|[A-Za-z0-9]+::INSTR)$/i.test(tail)) {
    return fail('VXI-11 resources (::INSTR) are not supported: use the raw socket, TCPIP::HOST::5025::SOCKET (port 5025 on most instruments)');
  }
  const p = /^(\d+)::SOCKET$/i.exec(tail);
  if (!p) return fail(`a LAN instrument is TCPIP::HOST::PORT::SOCKET (got 'TCPIP::${shorten(rest)}')`);
  const port = tcpPort(p[1]!);
  if (port === null) return fail(`the port must be a whole number from 1 to 65535 (got ${p[1]})`);
  return ok({ kind: 'tcp', host, port });
}

function usb(rest: string): ParsedResource {
  const path = /::INSTR$/i.test(rest) ? rest.slice(0, -'::INSTR'.length) : rest;
  if (!path.startsWith('/')) {
    return fail('USB instruments are reached through the Linux usbtmc device: USB::/dev/usbtmc0 (vendor/product-id resources are not supported)');
  }
  return ok({ kind: 'usbtmc', path });
}

function gpib(rest: string): ParsedResource {
  const at = rest.indexOf('@');
  const head = at < 0 ? rest : rest.slice(0, at);
  const m = /^(\d{1,3})(?:::INSTR)?$/i.exec(head);
  if (!m) return fail(`a GPIB instrument is GPIB::ADDRESS, e.g. GPIB::24 (got 'GPIB::${shorten(rest)}')`);
  const address = gpibAddress(m[1]!);
  if (address === null) return fail(`a GPIB address is a whole number from 0 to ${GPIB_ADDRESS_MAX} (got ${m[1]})`);
  if (at < 0) return ok({ kind: 'gpib', address, controller: null });
  const c = parseController(rest.slice(at + 1));
  return c.ok ? ok({ kind: 'gpib', address, controller: c.controller }) : fail(c.message);
}

/** gpib:CONTROLLER:ADDR — the address after the last colon. */
function gpibShort(rest: string): ParsedResource {
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) return fail(`gpib:CONTROLLER:ADDRESS, e.g. gpib:/dev/ttyUSB0:24 or gpib:192.168.1.5:1234:24 (got 'gpib:${shorten(rest)}')`);
  const address = gpibAddress(rest.slice(colon + 1));
  if (address === null) return fail(`a GPIB address is a whole number from 0 to ${GPIB_ADDRESS_MAX} (got '${shorten(rest.slice(colon + 1))}')`);
  const c = parseController(rest.slice(0, colon));
  return c.ok ? ok({ kind: 'gpib', address, controller: c.controller }) : fail(c.message);
}

function hostPort(text: string, defaultPort: number, form: string): ParsedResource {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(text.trim());
  if (!m) return fail(`expected ${form} (got '${shorten(text)}')`);
  const host = parseHost(m[1]!);
  if (host === null) return fail(`'${shorten(m[1]!)}' is not a host name or IP address (expected ${form})`);
  if (m[2] === undefined) return ok({ kind: 'tcp', host, port: defaultPort });
  const port = tcpPort(m[2]);
  if (port === null) return fail(`the port must be a whole number from 1 to 65535 (got '${shorten(m[2])}')`);
  return ok({ kind: 'tcp', host, port });
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

/** A host name, an IPv4 address, or an IPv6 address in brackets (returned without them). */
function parseHost(text: string): string | null {
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1);
    return IPV6.test(inner) && inner.includes(':') ? inner.toLowerCase() : null;
  }
  return HOST_NAME.test(text) ? text : null;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function tcpPort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : null;
}

function gpibAddress(text: string): number | null {
  if (!/^\d{1,3}$/.test(text)) return null;
  const n = Number(text);
  return n <= GPIB_ADDRESS_MAX ? n : null;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
