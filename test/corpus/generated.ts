/**
 * Corpus cases whose input is binary or huge: generated at test time instead of committed. Each has
 * its `<name>.expected` next to the committed cases.
 */
import { MAX_FILE_BYTES } from '../../src/spec/load.js';

export const generatedCases: Readonly<Record<string, () => Uint8Array>> = {
  /** Latin-1 bytes (0xE9, é) in a value: the position must be the bad byte's line and column. */
  '90-invalid-utf8': () =>
    Buffer.concat([Buffer.from('apiVersion: slo/v1\nkind: Service\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n  team: web\n')]),
  /** Saved as UTF-16 by a Windows editor. */
  '91-utf16-file': () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('apiVersion: slo/v1\n', 'utf16le')]),
  /** One byte over the limit; refused before it is read. */
  '92-file-too-large': () => Buffer.alloc(MAX_FILE_BYTES + 1, 0x20),
  /** Zero bytes. */
  '93-empty-file': () => new Uint8Array(0),
  /** A NUL byte, as in a binary file saved with a .yaml name. */
  '94-binary-file': () => Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x50, 0x4b, 0x03, 0x04]),
};
