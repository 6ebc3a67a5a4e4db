import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './hash-router.js';

describe('hash routes', () => {
  it('reads the view and its query', () => {
    expect(parseRoute('#/printer?gcode=abc-123')).toEqual({ view: 'printer', params: { gcode: 'abc-123' } });
    expect(parseRoute('#/library?preview=g1&highlight=a,b')).toEqual({
      view: 'library',
      params: { preview: 'g1', highlight: 'a,b' },
    });
    expect(parseRoute('#/Settings/')).toEqual({ view: 'settings', params: {} });
  });

  it('falls back to the printer view for an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual({ view: 'printer', params: {} });
    expect(parseRoute('#/nowhere?x=1')).toEqual({ view: 'printer', params: { x: '1' } });
  });

  it('builds links that parse back to the same route', () => {
    const href = routeHref('library', { preview: 'a b&c' });
    expect(href).toBe('#/library?preview=a+b%26c');
    expect(parseRoute(href)).toEqual({ view: 'library', params: { preview: 'a b&c' } });
    expect(routeHref('history')).toBe('#/history');
  });
});
