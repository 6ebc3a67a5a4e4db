// Colours, spacing and type for the whole app as CSS custom properties on the shell. Custom properties
// inherit through shadow roots, so every view uses `var(--sp-…)` and follows the system's light or
// dark setting without knowing about it.

import { css } from 'lit';

export const themeStyles = css`
  :host {
    color-scheme: light dark;
    --sp-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
    --sp-mono: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace;
    --sp-radius: 8px;
    --sp-gap: 12px;
    --sp-bg: #f5f6f8;
    --sp-surface: #ffffff;
    --sp-surface-2: #eceef2;
    --sp-text: #1b1f24;
    --sp-muted: #5a6270;
    --sp-border: #c9ced6;
    --sp-accent: #c2410c;
    --sp-accent-hover: #9a3412;
    --sp-accent-text: #ffffff;
    --sp-link: #1d4ed8;
    --sp-ok: #15803d;
    --sp-warn: #a16207;
    --sp-danger: #b91c1c;
    --sp-danger-text: #ffffff;
    --sp-focus: #2563eb;
    --sp-notice-bg: #fff7e6;
    --sp-notice-border: #e9b949;
    --sp-error-bg: #fdecec;
    font-family: var(--sp-font);
    color: var(--sp-text);
    background: var(--sp-bg);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --sp-bg: #121417;
      --sp-surface: #1b1e23;
      --sp-surface-2: #252a31;
      --sp-text: #e7e9ec;
      --sp-muted: #a3abb8;
      --sp-border: #3a414c;
      --sp-accent: #fb923c;
      --sp-accent-hover: #fdba74;
      --sp-accent-text: #1b1206;
      --sp-link: #93b4ff;
      --sp-ok: #4ade80;
      --sp-warn: #facc15;
      --sp-danger: #f87171;
      --sp-danger-text: #1f0707;
      --sp-focus: #93b4ff;
      --sp-notice-bg: #2d2411;
      --sp-notice-border: #8a6d1f;
      --sp-error-bg: #3a1717;
    }
  }
`;
