/**
 * `JSON.stringify(document, null, 2)` written piece by piece, byte for byte the same text, where
 * the document is a list (or an object whose last field is a list) read one element at a time:
 * a year of a large account's history is hundreds of thousands of intervals, and a document of
 * it need not be held as objects and as one string at once.
 */
export interface StreamedJsonList<T> {
  /** Writes the next element. */
  readonly add: (element: T) => void;
  /** Writes the list's (and the document's) end. */
  readonly end: () => void;
}

const indented = (json: string, indent: string) => json.replace(/\n/g, `\n${indent}`);

/**
 * Starts the document: a bare list without `head`; with it, `head`'s fields (as `JSON.stringify`
 * writes them: undefined ones dropped) followed by `key`, the list.
 */
export const streamedJsonList = <T>(
  write: (text: string) => void,
  head?: { readonly fields: Readonly<Record<string, unknown>>; readonly key: string },
): StreamedJsonList<T> => {
  // The list's elements sit one level deeper inside an object than at the top.
  const indent = head === undefined ? '  ' : '    ';
  if (head !== undefined) {
    if (Object.prototype.hasOwnProperty.call(head.fields, head.key))
      throw new Error(`the document's head has a field "${head.key}" of its own: the list must come last`);
    const fields = JSON.stringify(head.fields, null, 2);
    // `{}` for no field; otherwise the fields without the closing brace, then the list's key.
    const opening = fields === '{}' ? '{\n' : `${fields.slice(0, -2)},\n`;
    write(`${opening}  ${JSON.stringify(head.key)}: `);
  }
  let count = 0;
  return {
    add: (element) => {
      const json = JSON.stringify(element, null, 2);
      write(`${count === 0 ? '[' : ','}\n${indent}${indented(json, indent)}`);
      count += 1;
    },
    end: () => {
      const close = count === 0 ? '[]' : `\n${indent.slice(2)}]`;
      write(head === undefined ? `${close}\n` : `${close}\n}\n`);
    },
  };
};
