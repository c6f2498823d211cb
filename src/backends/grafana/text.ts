/** Joins pieces of human text into sentences, skipping empty ones and ending each with a full stop. */
export function sentences(...parts: ReadonlyArray<string | undefined>): string {
  return parts
    .filter((p): p is string => p !== undefined && p.trim() !== '')
    .map((p) => p.trim().replace(/([^.!?])$/, '$1.'))
    .join(' ');
}
