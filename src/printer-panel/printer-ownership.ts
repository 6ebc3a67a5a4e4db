// One tab owns a printer. The Web Locks API decides who; a BroadcastChannel lets a second tab ask the
// owner to describe itself, so it can say "in use by the tab that is printing benchy.gcode" instead of
// fighting over the port. Platform objects are passed in, so this runs in Node tests too.

export interface LockManagerLike {
  request(name: string, options: { ifAvailable: boolean; mode?: 'exclusive' }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>;
}

export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export const ownershipChannelName = 'sliceport-printer-owner';

export function printerLockName(printerKey: string): string {
  return `sliceport-printer:${printerKey}`;
}

/** Which printer a lock protects: the simulator, or a USB port by its ids (two identical boards look alike). */
export function printerKeyFor(choice: { kind: 'simulator' } | { kind: 'serial'; usbVendorId?: number; usbProductId?: number; portIndex?: number }): string {
  if (choice.kind === 'simulator') return 'simulator';
  return `usb-${choice.usbVendorId ?? 'any'}-${choice.usbProductId ?? 'any'}-${choice.portIndex ?? 0}`;
}

type OwnershipMessage = { type: 'who-owns'; key: string; nonce: string } | { type: 'owner'; key: string; nonce: string; description: string };

function isMessage(data: unknown): data is OwnershipMessage {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' && typeof (data as { key?: unknown }).key === 'string';
}

export interface Ownership {
  readonly key: string;
  /** Releases the lock (on disconnect). */
  release(): void;
}

export type ClaimResult = { ok: true; ownership: Ownership } | { ok: false; ownerDescription: string };

export class PrinterOwnership {
  private readonly held = new Map<string, () => string>();
  private readonly listener = (event: { data: unknown }) => this.onMessage(event.data);

  constructor(
    private readonly locks: LockManagerLike,
    private readonly channel: ChannelLike,
    private readonly askTimeoutMs = 500,
  ) {
    channel.addEventListener('message', this.listener);
  }

  /**
   * Takes the printer if no other tab holds it. `describe` is asked whenever another tab wants to know
   * who owns it, so the answer is current ("printing benchy.gcode, 42%").
   */
  async claim(key: string, describe: () => string): Promise<ClaimResult> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const granted = await new Promise<boolean>((resolve) => {
      void this.locks
        .request(printerLockName(key), { ifAvailable: true }, async (lock) => {
          if (lock === null) {
            resolve(false);
            return;
          }
          resolve(true);
          await released;
        })
        .catch(() => resolve(false));
    });
    if (granted) {
      this.held.set(key, describe);
      return {
        ok: true,
        ownership: {
          key,
          release: () => {
            this.held.delete(key);
            release();
          },
        },
      };
    }
    return { ok: false, ownerDescription: await this.askOwner(key) };
  }

  /** What the owning tab says about itself, or a generic sentence when it does not answer in time. */
  askOwner(key: string): Promise<string> {
    const nonce = Math.random().toString(36).slice(2);
    return new Promise((resolve) => {
      const onReply = (event: { data: unknown }) => {
        const data = event.data;
        if (isMessage(data) && data.type === 'owner' && data.key === key && data.nonce === nonce) {
          done(data.description);
        }
      };
      const timer = setTimeout(() => done('Another Sliceport tab or window is connected to this printer.'), this.askTimeoutMs);
      const done = (text: string) => {
        clearTimeout(timer);
        this.channel.removeEventListener('message', onReply);
        resolve(text);
      };
      this.channel.addEventListener('message', onReply);
      this.channel.postMessage({ type: 'who-owns', key, nonce } satisfies OwnershipMessage);
    });
  }

  owns(key: string): boolean {
    return this.held.has(key);
  }

  close(): void {
    this.channel.removeEventListener('message', this.listener);
    this.channel.close();
  }

  private onMessage(data: unknown): void {
    if (!isMessage(data) || data.type !== 'who-owns') return;
    const describe = this.held.get(data.key);
    if (describe) this.channel.postMessage({ type: 'owner', key: data.key, nonce: data.nonce, description: describe() } satisfies OwnershipMessage);
  }
}
