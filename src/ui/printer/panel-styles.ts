// Styles shared by the Printer view's cards.

import { css } from 'lit';

export const panelStyles = css`
  :host {
    display: block;
    font: inherit;
  }
  .card {
    border: 1px solid color-mix(in srgb, currentColor 20%, transparent);
    border-radius: 8px;
    padding: 0.75rem 1rem;
    margin-block: 0.5rem;
  }
  h1 {
    font-size: 1.5em;
    margin: 0.83em 0;
  }
  h2,
  h3 {
    margin: 0 0 0.5rem;
    font-size: 1rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .muted {
    opacity: 0.7;
    font-size: 0.9em;
  }
  .problem {
    color: #b00020;
  }
  .warning {
    background: color-mix(in srgb, orange 15%, transparent);
    border-left: 3px solid orange;
    padding: 0.25rem 0.5rem;
    margin-block: 0.25rem;
  }
  .confirm {
    background: color-mix(in srgb, orange 12%, transparent);
    padding: 0.5rem;
    border-radius: 6px;
  }
  button {
    font: inherit;
    padding: 0.3rem 0.7rem;
    cursor: pointer;
  }
  button[disabled] {
    cursor: not-allowed;
  }
  input[type='number'] {
    width: 5.5rem;
  }
  .chip {
    display: inline-block;
    border-radius: 999px;
    padding: 0 0.5rem;
    font-size: 0.8em;
    border: 1px solid color-mix(in srgb, currentColor 30%, transparent);
  }
`;
