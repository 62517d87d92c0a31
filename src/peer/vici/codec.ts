// The VICI message format (strongSwan's src/libcharon/plugins/vici/README.md, "Message format"):
// a sequence of elements — SECTION_START(name) … SECTION_END, KEY_VALUE(name, value),
// LIST_START(name) LIST_ITEM(value)… LIST_END — with 8-bit name lengths and 16-bit value lengths.
// Values are blobs; charon sends only non-null-terminated strings (numbers as decimal text), so they
// are decoded as UTF-8 text. Key order is kept: the encoder reproduces libvici's bytes for a message
// decoded from them.

/** A value of a message: a string, a list of strings, or a sub-section. */
export type ViciValue = string | string[] | ViciMessage;
/** A section (the root section is the message itself). Keys keep the order they arrived in. */
export interface ViciMessage {
  [key: string]: ViciValue;
}

export enum Element {
  SectionStart = 1,
  SectionEnd = 2,
  KeyValue = 3,
  ListStart = 4,
  ListItem = 5,
  ListEnd = 6,
}

/** Bounds that keep a hostile or broken peer from making the decoder allocate without limit. */
export interface DecodeLimits {
  /** Sections nested deeper than this are refused (charon's deepest, list-sa child SAs, is 3). */
  maxDepth: number;
  /** Elements per message (keys + items + sections). */
  maxElements: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxDepth: 16, maxElements: 200_000 };

/** A message that does not follow the VICI element grammar; `offset` is where the decoder stopped. */
export class ViciCodecError extends Error {
  override name = 'ViciCodecError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

const MAX_NAME = 0xff;
const MAX_VALUE = 0xffff;

/** Decodes one message (the bytes after a packet's type and name). */
export function decodeMessage(buf: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): ViciMessage {
  const root: ViciMessage = {};
  const stack: { section: ViciMessage; name: string }[] = [];
  let section = root;
  let list: string[] | null = null;
  let listName = '';
  let elements = 0;
  let pos = 0;

  const need = (n: number, what: string) => {
    if (pos + n > buf.length) throw new ViciCodecError(`truncated ${what}`, pos);
  };
  const readName = (): string => {
    need(1, 'name length');
    const len = buf[pos]!;
    pos += 1;
    need(len, 'name');
    const name = Buffer.from(buf.buffer, buf.byteOffset + pos, len).toString('latin1');
    pos += len;
    if (name === '') throw new ViciCodecError('empty name', pos - 1);
    return name;
  };
  const readValue = (): string => {
    need(2, 'value length');
    const len = (buf[pos]! << 8) | buf[pos + 1]!;
    pos += 2;
    need(len, 'value');
    const value = Buffer.from(buf.buffer, buf.byteOffset + pos, len).toString('utf8');
    pos += len;
    return value;
  };
  const define = (name: string, value: ViciValue, at: number) => {
    if (Object.hasOwn(section, name)) throw new ViciCodecError(`duplicate key "${name}"`, at);
    // defineProperty, not assignment: a key named "__proto__" stays a key.
    Object.defineProperty(section, name, { value, enumerable: true, writable: true, configurable: true });
  };

  while (pos < buf.length) {
    const at = pos;
    const type = buf[pos]!;
    pos += 1;
    if (++elements > limits.maxElements)
      throw new ViciCodecError(`more than ${limits.maxElements} elements`, at);
    if (list !== null && type !== Element.ListItem && type !== Element.ListEnd)
      throw new ViciCodecError(`element type ${type} inside list "${listName}"`, at);
    switch (type) {
      case Element.SectionStart: {
        const name = readName();
        if (stack.length >= limits.maxDepth)
          throw new ViciCodecError(`sections nested deeper than ${limits.maxDepth}`, at);
        const child: ViciMessage = {};
        define(name, child, at);
        stack.push({ section, name });
        section = child;
        break;
      }
      case Element.SectionEnd: {
        const parent = stack.pop();
        if (!parent) throw new ViciCodecError('section end without a section', at);
        section = parent.section;
        break;
      }
      case Element.KeyValue: {
        const name = readName();
        define(name, readValue(), at);
        break;
      }
      case Element.ListStart: {
        listName = readName();
        list = [];
        define(listName, list, at);
        break;
      }
      case Element.ListItem:
        if (list === null) throw new ViciCodecError('list item outside a list', at);
        list.push(readValue());
        break;
      case Element.ListEnd:
        if (list === null) throw new ViciCodecError('list end without a list', at);
        list = null;
        break;
      default:
        throw new ViciCodecError(`unknown element type ${type}`, at);
    }
  }
  if (list !== null) throw new ViciCodecError(`list "${listName}" not closed`, pos);
  if (stack.length > 0)
    throw new ViciCodecError(`section "${stack[stack.length - 1]!.name}" not closed`, pos);
  return root;
}

/** Values the encoder accepts: numbers and booleans become charon's text forms ("yes"/"no"). */
export type EncodableValue = string | number | boolean | readonly (string | number)[] | EncodableMessage;
export interface EncodableMessage {
  readonly [key: string]: EncodableValue | undefined;
}

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer) {
    this.chunks.push(b);
    this.length += b.length;
  }
  byte(n: number) {
    this.push(Buffer.from([n]));
  }
  name(name: string, path: string) {
    const b = Buffer.from(name, 'latin1');
    if (b.length === 0 || b.length > MAX_NAME || Buffer.from(name, 'utf8').length !== b.length)
      throw new ViciCodecError(`name "${path}" must be 1–255 ASCII bytes`, this.length);
    this.byte(b.length);
    this.push(b);
  }
  value(value: string, path: string) {
    const b = Buffer.from(value, 'utf8');
    if (b.length > MAX_VALUE)
      throw new ViciCodecError(`value of "${path}" is ${b.length} bytes (at most 65535)`, this.length);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    this.push(len);
    this.push(b);
  }
  done(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

const text = (v: string | number | boolean): string =>
  typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);

function encodeSection(w: Writer, msg: EncodableMessage, path: string, depth: number) {
  if (depth > DEFAULT_DECODE_LIMITS.maxDepth)
    throw new ViciCodecError(`"${path}" nests deeper than ${DEFAULT_DECODE_LIMITS.maxDepth}`, w.length);
  for (const [key, value] of Object.entries(msg)) {
    if (value === undefined) continue;
    const where = path ? `${path}.${key}` : key;
    if (Array.isArray(value)) {
      w.byte(Element.ListStart);
      w.name(key, where);
      for (const item of value as readonly (string | number)[]) {
        w.byte(Element.ListItem);
        w.value(text(item), where);
      }
      w.byte(Element.ListEnd);
    } else if (typeof value === 'object') {
      w.byte(Element.SectionStart);
      w.name(key, where);
      encodeSection(w, value as EncodableMessage, where, depth + 1);
      w.byte(Element.SectionEnd);
    } else {
      w.byte(Element.KeyValue);
      w.name(key, where);
      w.value(text(value), where);
    }
  }
}

/** Encodes a message; keys with `undefined` values are left out. */
export function encodeMessage(msg: EncodableMessage): Buffer {
  const w = new Writer();
  encodeSection(w, msg, '', 0);
  return w.done();
}
