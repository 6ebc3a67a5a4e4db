// The engine wants each definition file's text; the settings code keeps parsed definitions behind a
// DefinitionSource (fetched in the browser, read from the package in Node). One cache serves both.
import { DefinitionNotFoundError, type DefinitionSource } from '../settings/definition-files.js';
import type { DefinitionLoader } from './definition-chain.js';

export function definitionLoaderFrom(source: DefinitionSource): DefinitionLoader {
  const texts = new Map<string, Promise<string | undefined>>();
  return (id) => {
    let text = texts.get(id);
    if (!text) {
      text = source.load(id).then(
        (file) => JSON.stringify(file),
        (error: unknown) => {
          texts.delete(id);
          if (error instanceof DefinitionNotFoundError) return undefined;
          throw error;
        },
      );
      texts.set(id, text);
    }
    return text;
  };
}
