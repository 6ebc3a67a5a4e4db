// A small forward-only XML tag reader, enough for 3MF model parts. three's 3MFLoader needs DOMParser,
// which workers lack; a full DOM of a 17 MB model part would also cost far more memory than the mesh.

export interface XmlTag {
  /** Qualified name as written, e.g. `object` or `p:component`. */
  name: string;
  closing: boolean;
  selfClosing: boolean;
  /** Raw attribute text; read it with `xmlAttributes`. */
  attributeText: string;
}

const tagPattern = /<([/!?]?)([^\s/>]*)([^>]*)>/g;

/** Calls `visit` for every element tag in document order. Comments, declarations and CDATA are skipped. */
export function scanXmlTags(text: string, visit: (tag: XmlTag) => void): void {
  tagPattern.lastIndex = 0;
  for (let match = tagPattern.exec(text); match; match = tagPattern.exec(text)) {
    const marker = match[1];
    if (marker === '!') {
      // A comment or CDATA may contain '>': jump to its real end.
      const rest = match[2] + match[3];
      const closer = rest.startsWith('--') ? '-->' : rest.startsWith('[CDATA[') ? ']]>' : null;
      if (closer) {
        const end = text.indexOf(closer, match.index + 2);
        tagPattern.lastIndex = end < 0 ? text.length : end + closer.length;
      }
      continue;
    }
    if (marker === '?') continue;
    let attributeText = match[3];
    const selfClosing = attributeText.endsWith('/');
    if (selfClosing) attributeText = attributeText.slice(0, -1);
    visit({ name: match[2], closing: marker === '/', selfClosing, attributeText });
  }
}

const attributePattern = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function xmlAttributes(attributeText: string): Map<string, string> {
  const attributes = new Map<string, string>();
  attributePattern.lastIndex = 0;
  for (let match = attributePattern.exec(attributeText); match; match = attributePattern.exec(attributeText)) {
    attributes.set(match[1], decodeEntities(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    switch (entity.toLowerCase()) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
        // A reference to no character (beyond Unicode) reads as the replacement character, as XML parsers recover.
        return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      }
    }
  });
}
