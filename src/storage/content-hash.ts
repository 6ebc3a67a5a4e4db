// A fingerprint of a file's bytes, to tell that a file being added is already in the Library. SHA-256
// of each 1 MiB block, then SHA-256 of those digests in order: the browser's native SHA-256 has no
// streaming form, and this way a 200 MB G-code file is hashed chunk by chunk, never whole in memory.
// The block size is part of the fingerprint's definition and never changes.

const BLOCK_BYTES = 1024 * 1024;

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class ContentHasher {
  private readonly digests: Promise<ArrayBuffer>[] = [];
  private block = new Uint8Array(BLOCK_BYTES);
  private filled = 0;

  update(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(BLOCK_BYTES - this.filled, bytes.length - offset);
      this.block.set(bytes.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === BLOCK_BYTES) this.flush();
    }
  }

  private flush(): void {
    this.digests.push(crypto.subtle.digest('SHA-256', this.block.slice(0, this.filled)));
    this.block = new Uint8Array(BLOCK_BYTES);
    this.filled = 0;
  }

  async digest(): Promise<string> {
    if (this.filled > 0 || this.digests.length === 0) this.flush();
    const parts = await Promise.all(this.digests);
    const joined = new Uint8Array(parts.length * 32);
    parts.forEach((part, i) => joined.set(new Uint8Array(part), i * 32));
    return `sha256x1m:${hex(await crypto.subtle.digest('SHA-256', joined))}`;
  }
}

export async function contentHash(data: Uint8Array | AsyncIterable<Uint8Array>): Promise<string> {
  const hasher = new ContentHasher();
  if (data instanceof Uint8Array) hasher.update(data);
  else for await (const chunk of data) hasher.update(chunk);
  return hasher.digest();
}
