import { afterEach, describe, expect, it } from 'vitest';
import { BroadcastChannel as NodeChannel } from 'node:worker_threads';
import { PrinterOwnership, printerKeyFor, type ChannelLike, type LockManagerLike } from './printer-ownership.js';

/** Web Locks as one browser profile has them: shared by every tab. */
class SharedLocks {
  private readonly held = new Set<string>();
  manager(): LockManagerLike {
    return {
      request: async (name, options, callback) => {
        if (options.ifAvailable && this.held.has(name)) return callback(null);
        this.held.add(name);
        try {
          return await callback({ name });
        } finally {
          this.held.delete(name);
        }
      },
    };
  }
}

function channel(): ChannelLike {
  const c = new NodeChannel('sliceport-test-owner') as unknown as ChannelLike & { onmessage: unknown };
  return c;
}

const open: PrinterOwnership[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

describe('PrinterOwnership', () => {
  it('lets one tab own a printer and tells the other who owns it', async () => {
    const locks = new SharedLocks();
    const first = new PrinterOwnership(locks.manager(), channel());
    const second = new PrinterOwnership(locks.manager(), channel());
    open.push(first, second);
    const key = printerKeyFor({ kind: 'simulator' });
    const a = await first.claim(key, () => 'Tab "Sliceport" printing cube.gcode (42%)');
    expect(a.ok).toBe(true);
    const b = await second.claim(key, () => 'second');
    expect(b).toEqual({ ok: false, ownerDescription: 'Tab "Sliceport" printing cube.gcode (42%)' });
    if (a.ok) a.ownership.release();
    await new Promise((r) => setTimeout(r, 10));
    const c = await second.claim(key, () => 'second');
    expect(c.ok).toBe(true);
  });

  it('falls back to a generic sentence when the owner does not answer', async () => {
    const locks = new SharedLocks();
    const mute = locks.manager();
    await new Promise<void>((resolve) => void mute.request('sliceport-printer:usb-6790-29987-0', { ifAvailable: true }, () => { resolve(); return new Promise(() => {}); }));
    const tab = new PrinterOwnership(locks.manager(), channel(), 50);
    open.push(tab);
    const result = await tab.claim(printerKeyFor({ kind: 'serial', usbVendorId: 0x1a86, usbProductId: 0x7523 }), () => 'me');
    expect(result).toEqual({ ok: false, ownerDescription: expect.stringMatching(/Another Sliceport tab/) });
  });
});
