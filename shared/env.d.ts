// The few host APIs every runtime we target (Chromium, Node ≥ 20, Electron) provides, declared
// here so shared/ can use them without pulling in DOM or Node typings wholesale.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
