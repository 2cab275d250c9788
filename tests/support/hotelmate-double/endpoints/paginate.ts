/** DRF `PageNumberPagination` as the staff list and clock-logs use it: `{count, next, previous, results}`. */
import { detail, type BackendRequest, type Fail, type Ok } from '../protocol';

/**
 * One page of `items`: absolute `next`/`previous` links built from the request's origin, 404
 * `Invalid page.` out of range, `page_size` honoured (up to `maxSize`) only when `maxSize` is set.
 */
export function paginate<T>(request: BackendRequest, items: T[], defaultSize: number, maxSize: number | null): Ok<{ count: number; next: string | null; previous: string | null; results: T[] }> | Fail {
  let size = defaultSize;
  const sizeRaw = request.query.get('page_size');
  if (maxSize !== null && sizeRaw && /^\d+$/.test(sizeRaw) && Number(sizeRaw) > 0) size = Math.min(maxSize, Number(sizeRaw));
  const pageRaw = request.query.get('page') ?? '1';
  const pages = Math.max(1, Math.ceil(items.length / size));
  const page = pageRaw === 'last' ? pages : Number(pageRaw);
  if (!Number.isInteger(page) || page < 1 || page > pages) return { ok: false, response: detail(404, 'Invalid page.') };
  const link = (p: number): string => {
    const params = new URLSearchParams(request.query);
    if (p === 1) params.delete('page');
    else params.set('page', String(p));
    const qs = params.toString();
    return `${request.origin}${request.pathname}${qs ? `?${qs}` : ''}`;
  };
  return {
    ok: true,
    value: {
      count: items.length,
      next: page < pages ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: items.slice((page - 1) * size, page * size),
    },
  };
}
