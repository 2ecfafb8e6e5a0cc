/**
 * Interns operation ids (strings) to dense integers 0, 1, 2, ... A `Map<string, number>` costs
 * about as much as the JSON.parse of the record itself (hashing a fresh string, then a cache
 * miss), so ids of the usual shape `<prefix><decimal number>` (`run1-u123`, `c-42`) are looked
 * up in a dense table per prefix instead; anything else falls back to the Map. An id always
 * resolves to the same integer whichever path it takes.
 */
const MAX_PREFIXES = 16;
const MAX_DIGITS = 9;
const MIN_TABLE = 1024;

export class Interner {
  /** integer → id */
  readonly ids: string[] = [];
  private readonly prefixes: string[] = [];
  private readonly tables: Int32Array[] = [];
  private readonly map = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  /** The integer of `id`, allocating the next one when `id` is new. */
  intern(id: string): number {
    const len = id.length;
    let p = len;
    while (p > 0) {
      const c = id.charCodeAt(p - 1);
      if (c < 48 || c > 57) break;
      p--;
    }
    const digits = len - p;
    // no leading zero, so "u07" and "u7" stay different ids
    if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && id.charCodeAt(p) === 48)) return this.viaMap(id);
    let n = 0;
    for (let q = p; q < len; q++) n = n * 10 + id.charCodeAt(q) - 48;
    const prefixes = this.prefixes;
    for (let j = 0; j < prefixes.length; j++) {
      const prefix = prefixes[j];
      if (prefix.length === p && id.startsWith(prefix)) return this.viaTable(j, n, id);
    }
    if (prefixes.length === MAX_PREFIXES) return this.viaMap(id);
    prefixes.push(id.slice(0, p));
    this.tables.push(new Int32Array(MIN_TABLE).fill(-1));
    return this.viaTable(prefixes.length - 1, n, id);
  }

  private viaTable(j: number, n: number, id: string): number {
    let table = this.tables[j];
    if (n >= table.length) {
      const grown = this.grow(table, n);
      if (!grown) return this.viaMap(id);
      this.tables[j] = table = grown;
    }
    const found = table[n];
    if (found >= 0) return found;
    if (this.map.size > 0) {
      // the id may have gone to the Map while the table was too small for it
      const mapped = this.map.get(id);
      if (mapped !== undefined) return (table[n] = mapped);
    }
    const i = this.ids.length;
    this.ids.push(id);
    table[n] = i;
    return i;
  }

  /** A bigger table, or undefined when it would be far larger than the number of ids (sparse numbering). */
  private grow(table: Int32Array, n: number): Int32Array | undefined {
    let length = table.length;
    while (length <= n) length *= 2;
    if (length > Math.max(1 << 20, 4 * (this.ids.length + 1))) return undefined;
    const grown = new Int32Array(length).fill(-1);
    grown.set(table);
    return grown;
  }

  private viaMap(id: string): number {
    let i = this.map.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.map.set(id, i);
    }
    return i;
  }
}
