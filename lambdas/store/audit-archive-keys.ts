/** Where the archive keeps a record: one object per (stream, seq), the seq zero-padded so names sort. */
export const recordKey = (stream: string, seq: number): string =>
  `records/${encodeURIComponent(stream)}/${String(seq).padStart(12, '0')}.json`;
export const recordPrefix = (stream: string): string => `records/${encodeURIComponent(stream)}/`;
export const tamperKey = (stream: string, seq: number, eventId: string): string =>
  `tamper/${encodeURIComponent(stream)}/${String(seq).padStart(12, '0')}-${encodeURIComponent(eventId)}.json`;
export const tamperPrefix = (stream: string): string => `tamper/${encodeURIComponent(stream)}/`;
