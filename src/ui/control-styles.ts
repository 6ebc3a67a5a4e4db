// Buttons, links, tables and focus rings shared by every view, so the whole app looks and behaves the
// same under the keyboard. Uses the theme's custom properties (src/app/theme.ts).

import { css } from 'lit';

export const controlStyles = css`
  :host {
    font-family: var(--sp-font);
    color: var(--sp-text);
  }
  h1 {
    font-size: 1.35rem;
    margin: 0 0 var(--sp-gap);
  }
  h2,
  h3 {
    font-size: 1.05rem;
    margin: 0 0 8px;
  }
  a {
    color: var(--sp-link);
  }
  button,
  .button {
    font: inherit;
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 36px;
    padding: 6px 14px;
    border-radius: var(--sp-radius);
    border: 1px solid var(--sp-border);
    background: var(--sp-surface);
    color: var(--sp-text);
    cursor: pointer;
    text-decoration: none;
  }
  button:hover,
  .button:hover {
    background: var(--sp-surface-2);
  }
  button.primary,
  .button.primary {
    background: var(--sp-accent);
    border-color: var(--sp-accent);
    color: var(--sp-accent-text);
  }
  button.primary:hover,
  .button.primary:hover {
    background: var(--sp-accent-hover);
  }
  button.danger {
    background: var(--sp-danger);
    border-color: var(--sp-danger);
    color: var(--sp-danger-text);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  input:not([type='checkbox']):not([type='radio']):not([type='range']):not([type='file']),
  select,
  textarea {
    font: inherit;
    box-sizing: border-box;
    min-height: 36px;
    padding: 6px 10px;
    border: 1px solid var(--sp-border);
    border-radius: var(--sp-radius);
    background: var(--sp-surface);
    color: var(--sp-text);
  }
  input::placeholder {
    color: var(--sp-muted);
  }
  :focus-visible {
    outline: 3px solid var(--sp-focus);
    outline-offset: 2px;
  }
  .card {
    background: var(--sp-surface);
    border: 1px solid var(--sp-border);
    border-radius: var(--sp-radius);
    padding: 16px;
  }
  .muted {
    color: var(--sp-muted);
  }
  .notice {
    background: var(--sp-notice-bg);
    border: 1px solid var(--sp-notice-border);
    border-radius: var(--sp-radius);
    padding: 10px 14px;
  }
  .error {
    background: var(--sp-error-bg);
    border: 1px solid var(--sp-danger);
    border-radius: var(--sp-radius);
    padding: 10px 14px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
