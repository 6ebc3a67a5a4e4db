// Host prompts as Marlin sends them (`//action:prompt_begin`, `prompt_button`/`prompt_choice`,
// `prompt_show`, `prompt_end`), assembled into one prompt for the page.

import type { HostPrompt } from '../link-api.js';

export class HostPromptBuilder {
  private draft: HostPrompt | null = null;

  /** Returns the prompt to show, `null` to close it, or undefined when nothing visible changes. */
  apply(action: string, argument: string): HostPrompt | null | undefined {
    switch (action) {
      case 'prompt_begin':
        this.draft = { text: argument, buttons: [] };
        return undefined;
      case 'prompt_choice':
      case 'prompt_button':
        this.draft?.buttons.push(argument);
        return undefined;
      case 'prompt_show':
        return this.draft ? { text: this.draft.text, buttons: [...this.draft.buttons] } : undefined;
      case 'prompt_end':
        this.draft = null;
        return null;
      default:
        return undefined;
    }
  }
}
