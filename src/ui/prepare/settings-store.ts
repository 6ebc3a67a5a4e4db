// The page's one settings controller, reading definitions from the app's own origin.
import { FetchDefinitionSource } from '../../slicer/settings/fetch-definition-source.js';
import { SettingsController } from './settings-controller.js';
import { StoredSettings } from './settings-persistence.js';

let controller: SettingsController | null = null;

export function settingsController(): SettingsController {
  controller ??= new SettingsController(
    new FetchDefinitionSource(new URL(`${import.meta.env.BASE_URL}definitions/`, location.href).href),
    new StoredSettings(),
  );
  return controller;
}
