/**
 * A `content-disposition: attachment` header for a download named `name`: an ASCII fallback safe
 * inside the quoted value, plus the RFC 5987 form carrying the real (UTF-8) name.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_').slice(0, 200) || 'attachment';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.slice(0, 200))}`;
}
