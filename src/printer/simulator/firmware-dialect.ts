// How firmwares other than Marlin word a rejected line and the request to send it again, so host tests
// can meet each of them. Texts as those firmwares print them (see also engine/resend-wording.ts), and one
// no host can read ('unreadable': a broken build), for the rule that a print never waits for ever.

export type RejectReason = 'line-number' | 'checksum' | 'no-checksum';

export type DialectName = 'marlin' | 'prusa' | 'repetier' | 'smoothieware' | 'teacup' | 'reprapfirmware' | 'unreadable';

export interface FirmwareDialect {
  /** The error line before a resend request, or null when the firmware prints none. */
  lineError(reason: RejectReason, lastLine: number, got: number): string | null;
  /** The request for `line` (Repetier prints an empty line first). */
  resendRequest(line: number, reason: RejectReason): string[];
  /**
   * Repetier: after a request, this many out-of-sequence lines (the rest of what was on its way) are
   * answered `skip <n>` and `ok` instead of another request.
   */
  skipsWhileAwaitingResend?: number;
  /** Repetier: while a resend is awaited and nothing arrives for this long, the request is repeated. */
  rerequestAfterMs?: number;
}

const MARLIN_TEXTS: Record<RejectReason, string> = {
  'line-number': 'Line Number is not Last Line Number+1, Last Line: ',
  checksum: 'checksum mismatch, Last Line: ',
  'no-checksum': 'No Checksum with line number, Last Line: ',
};

const marlin: FirmwareDialect = {
  lineError: (reason, last) => `Error:${MARLIN_TEXTS[reason]}${last}`,
  resendRequest: (line) => [`Resend: ${line}`],
};

const DIALECTS: Record<DialectName, FirmwareDialect> = {
  marlin,
  // Prusa-Firmware (MK2/MK3) kept Marlin 1.0's texts.
  prusa: marlin,
  repetier: {
    lineError: (reason, last, got) =>
      reason === 'line-number' ? `Error:expected line ${last + 1} got ${got}` : reason === 'checksum' ? 'Error:Wrong checksum' : 'Error:Missing checksum',
    resendRequest: (line) => ['', `Resend:${line}`],
    skipsWhileAwaitingResend: 14,
    rerequestAfterMs: 200,
  },
  smoothieware: {
    lineError: () => null,
    resendRequest: (line) => [`rs N${line}`],
  },
  teacup: {
    lineError: () => null,
    resendRequest: (line, reason) => [reason === 'line-number' ? `rs N${line} Expected line number ${line}` : `rs N${line} Expected checksum`],
  },
  reprapfirmware: {
    lineError: () => null,
    resendRequest: (line) => [`rs ${line}`],
  },
  unreadable: {
    lineError: (reason) => `Error:${reason === 'checksum' ? 'crc' : 'seq'} fault`,
    resendRequest: (line) => [`please send line #${line} again`],
  },
};

export function firmwareDialect(name: DialectName): FirmwareDialect {
  return DIALECTS[name];
}
