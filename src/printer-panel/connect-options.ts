// What the connect dialog offers and how it explains failures, in words for printer owners.

import type { PrinterError } from '../printer/link-api.js';

export interface UsbChip {
  label: string;
  usbVendorId: number;
  /** Known product ids, for naming a granted port; the filter itself matches the whole vendor. */
  products?: Record<number, string>;
}

/** USB-serial chips found on printer boards. The filter matches by vendor so clones are included. */
export const usbSerialChips: readonly UsbChip[] = [
  { label: 'CH340/CH341', usbVendorId: 0x1a86, products: { 0x7523: 'CH340', 0x5523: 'CH341', 0x55d4: 'CH9102' } },
  { label: 'CP210x', usbVendorId: 0x10c4, products: { 0xea60: 'CP2102' } },
  { label: 'FTDI', usbVendorId: 0x0403, products: { 0x6001: 'FT232R', 0x6015: 'FT231X' } },
  { label: 'Arduino', usbVendorId: 0x2341 },
  { label: 'Arduino (.org)', usbVendorId: 0x2a03 },
  { label: 'STM32 virtual COM port', usbVendorId: 0x0483, products: { 0x5740: 'STM32 VCP' } },
];

export interface PortFilter {
  usbVendorId: number;
}

/** Filters for `navigator.serial.requestPort`; "any device" passes no filters at all. */
export function portFilters(anyDevice: boolean): PortFilter[] | undefined {
  return anyDevice ? undefined : usbSerialChips.map((chip) => ({ usbVendorId: chip.usbVendorId }));
}

export type BaudChoice = number | 'auto';

export const baudRates: readonly BaudChoice[] = [115200, 250000, 230400, 57600, 38400, 19200, 9600, 'auto'];
export const defaultBaudRate: BaudChoice = 115200;

export function isCh340(usbVendorId: number | undefined): boolean {
  return usbVendorId === 0x1a86;
}

/** A readable name for a granted port, from its USB ids. */
export function describePort(info: { usbVendorId?: number; usbProductId?: number }): string {
  const chip = usbSerialChips.find((c) => c.usbVendorId === info.usbVendorId);
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  if (!chip) {
    return info.usbVendorId === undefined ? 'Serial port' : `USB device ${hex(info.usbVendorId)}:${hex(info.usbProductId ?? 0)}`;
  }
  const product = info.usbProductId !== undefined ? chip.products?.[info.usbProductId] : undefined;
  return `${product ?? chip.label} USB serial`;
}

export interface ConnectWarning {
  id: 'reset' | 'ch340-250000';
  text: string;
}

export function connectWarnings(choice: { kind: 'serial' | 'simulator'; baudRate: BaudChoice; usbVendorId?: number }): ConnectWarning[] {
  if (choice.kind === 'simulator') return [];
  const warnings: ConnectWarning[] = [
    {
      id: 'reset',
      text: 'Connecting restarts many printer boards. Do not connect to a printer that is printing from its SD card or from another program.',
    },
  ];
  if (choice.baudRate === 250000 && isCh340(choice.usbVendorId)) {
    warnings.push({
      id: 'ch340-250000',
      text: 'This printer uses a CH340 USB chip, which cannot run at 250000 baud. Choose 115200 (most Creality and similar printers use it).',
    });
  }
  return warnings;
}

export type ConnectProblemKind = 'unsupported' | 'insecure' | 'cancelled' | 'permission' | 'busy' | 'wrong-baud' | 'no-reply' | 'lost' | 'other';

export interface ConnectProblem {
  kind: ConnectProblemKind;
  message: string;
  detail?: string;
}

export function webSerialProblem(env: { hasSerial: boolean; secureContext: boolean }): ConnectProblem | null {
  if (!env.secureContext) {
    return {
      kind: 'insecure',
      message: 'USB printers can only be used when Sliceport is opened over https:// or from this computer (localhost).',
    };
  }
  if (!env.hasSerial) {
    return {
      kind: 'unsupported',
      message:
        'This browser cannot talk to USB printers. Open Sliceport in Google Chrome or Microsoft Edge on a desktop or laptop computer (Windows, macOS, Linux or ChromeOS). You can still try everything with the simulated printer.',
    };
  }
  return null;
}

const messages: Record<Exclude<ConnectProblemKind, 'unsupported' | 'insecure' | 'other'>, string> = {
  cancelled: 'No printer was chosen. Click "Choose a USB printer" and pick your printer in the list.',
  permission:
    'The browser was not allowed to use the USB port. Allow Sliceport to use serial ports in the site settings (the icon left of the address), then try again.',
  busy: 'The port could not be opened: it is probably already in use by another program. Close Cura, OctoPrint, Pronterface, Arduino IDE or any other Sliceport tab that is connected to this printer, then try again. If nothing else uses it, unplug the USB cable and plug it back in.',
  'wrong-baud':
    'The printer answered, but not in a way we understand: the speed (baud rate) is probably wrong. Try 115200, or 250000 for many older RAMPS boards, or choose "auto".',
  'no-reply':
    'The printer did not answer. Check that it is switched on, that the cable is plugged in and is a data cable (not a charging-only one), and that the baud rate is right.',
  lost: 'The printer was disconnected (USB cable pulled or the printer switched off).',
};

/**
 * At the wrong baud rate bytes do arrive, but as noise: lines of mostly non-printable or non-ASCII
 * characters. Telling this apart from silence is what lets us say "wrong baud rate" rather than "no reply".
 */
export function looksLikeWrongBaud(receivedLines: readonly string[]): boolean {
  let noisy = 0;
  let readable = 0;
  for (const line of receivedLines) {
    const text = line.trim();
    if (!text) continue;
    let bad = 0;
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 0;
      if (code < 0x20 || code > 0x7e) bad++;
    }
    if (bad / text.length > 0.2) noisy++;
    else if (/^(ok\b|start\b|echo:|Error:|T:|FIRMWARE_NAME|Cap:|wait\b)/.test(text)) readable++;
  }
  return noisy > 0 && readable === 0;
}

/** The plain-language problem of a known kind. */
export function connectProblem(kind: keyof typeof messages, detail?: string): ConnectProblem {
  return { kind, message: messages[kind], detail };
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  detail?: string;
}

/** Turns an exception from `requestPort` / `open`, or the worker's error value, into a plain message. */
export function explainConnectError(error: unknown): ConnectProblem {
  const e: ErrorLike = typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: String(error) };
  const name = e.name ?? '';
  // DOMException has a numeric legacy `code`; only the worker's string codes mean something here.
  const code = typeof e.code === 'string' ? e.code.toLowerCase() : '';
  const text = `${code} ${e.message ?? ''} ${e.detail ?? ''}`.toLowerCase();
  const detail = [e.name, code, e.message, e.detail].filter(Boolean).join(': ');
  const make = (kind: keyof typeof messages): ConnectProblem => ({ kind, message: messages[kind], detail });

  if (name === 'NotFoundError' || /no port selected|cancel/.test(text)) return make('cancelled');
  if (name === 'SecurityError' || name === 'NotAllowedError' || /permission|not allowed|denied/.test(text)) return make('permission');
  if (name === 'InvalidStateError' || /busy|already open|failed to open|in use|access denied/.test(text)) return make('busy');
  // Both handshake failures mention the baud rate; what tells them apart is whether anything came back.
  if (/did not answer|no.?reply|no.?response|timed out|timeout|silent/.test(text)) return make('no-reply');
  if (/could not be opened|cannot be opened|failed to open|already open/.test(text)) return make('busy');
  if (/answered but|garbl|unreadable|gibberish|no sensible|wrong baud|baud rate is wrong/.test(text)) return make('wrong-baud');
  if (name === 'NetworkError' || /device (has been )?lost|disconnect|unplug/.test(text)) return make('lost');
  const fromWorker = error as Partial<PrinterError>;
  return { kind: 'other', message: fromWorker.message ?? 'Connecting failed.', detail };
}
